"""Danish dates and times for meetings ("tirsdag 9. december 2025 kl. 13.00–15.30"), and the
address of an occurrence."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from flask import Flask, current_app, url_for

from portal.calendar import rules
from portal.calendar.models import Event
from portal.calendar.occurrences import Occurrence
from portal.routing import absolute_url
from portal.timeutil import local


def _locale() -> str:
    return current_app.config["LOCALE"]


def when(start: datetime, end: datetime) -> str:
    """'tirsdag 9. december 2025 kl. 13.00–15.30'; over two days, both dates."""
    start, end = local(start), local(end)
    first = format_datetime(start, "EEEE d. MMMM y 'kl.' HH.mm", locale=_locale())
    if start.date() == end.date():
        return f"{first}–{format_datetime(end, 'HH.mm', locale=_locale())}"
    last = format_datetime(end, "EEEE d. MMMM y 'kl.' HH.mm", locale=_locale())
    return f"{first} – {last}"


def occurrence_when(occurrence: Occurrence) -> str:
    return when(occurrence.starts_at, occurrence.ends_at)


def month_name(value: date) -> str:
    """'December 2025' (a heading)."""
    text = format_date(value, "LLLL y", locale=_locale())
    return text[:1].upper() + text[1:]


def weekday(value: date, form: str = "short") -> str:
    """'man' (short) or 'mandag' (long)."""
    if form == "long":
        return format_date(value, "EEEE", locale=_locale())
    return format_date(value, "EEE", locale=_locale()).rstrip(".")


def day_heading(value: date) -> str:
    """'tirsdag 9. december'."""
    return format_date(value, "EEEE d. MMMM", locale=_locale())


def clock(value: datetime) -> str:
    return format_datetime(local(value), "HH.mm", locale=_locale())


def short_datetime(value: datetime) -> str:
    """'09.12.2025 13.00' (for CSV)."""
    return format_datetime(local(value), "dd.MM.y HH.mm", locale=_locale())


def rule_text(event: Event) -> str:
    return rules.describe(event.rrule, local(event.starts_at), _locale()) if event.rrule else ""


def _endpoint(occurrence: Occurrence) -> str:
    return "calendar.occurrence" if occurrence.key else "calendar.event"


def occurrence_url(occurrence: Occurrence, action: str | None = None, **values) -> str:
    """The occurrence's page, or one of its actions ("register", "participants", ...)."""
    if action is None:
        return url_for(_endpoint(occurrence), **occurrence.url_values, **values)
    return url_for(f"calendar.{action}", **occurrence.url_values, **values)


def absolute_link(event: Event, occurrence: Occurrence | None) -> str:
    """The full address of an event's page, or of one of its dates (calendar files, mail),
    also outside a request."""
    if occurrence is None or not occurrence.key:
        return absolute_url("calendar.event", event_id=event.id)
    return absolute_url("calendar.occurrence", **occurrence.url_values)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        tidsrum=occurrence_when,
        maaned=month_name,
        ugedag=weekday,
        dagoverskrift=day_heading,
        klokken=clock,
    )
    app.jinja_env.globals.update(occurrence_url=occurrence_url)
