"""The calendar as people read it: upcoming and past meetings, the month grid, the events a
subscription may carry, and a contact person's meetings as organiser."""

from __future__ import annotations

from calendar import Calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.administration import chosen_filter, one_of
from portal.calendar import occurrences
from portal.calendar.models import KINDS, Event
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.extensions import db
from portal.timeutil import at_local, local

UPCOMING = timedelta(days=365)  # how far ahead the list and the profile pages look
PAST = timedelta(days=730)
LIST_LIMIT = 200  # meetings on one list page; the month grid shows the rest


def _matching(kind: str | None, administration: str | None) -> sa.Select[Event]:
    """Events of ``kind`` (a code) for ``administration`` (BIF or SOF: also those for both);
    None or an unknown value: any. Each event's changed occurrences come in one more query
    for all of them, not one per series."""
    query = sa.select(Event).options(selectinload(Event.changes))
    if kind in KINDS:
        query = query.where(Event.kind == kind)
    chosen = chosen_filter(administration)
    if chosen:
        query = query.where(Event.administration.in_(one_of(chosen)))
    return query


def matching(kind: str | None = None, administration: str | None = None) -> list[Event]:
    """Every event of ``kind`` for ``administration``, whenever it is (for the feed)."""
    return list(db.session.scalars(_matching(kind, administration)))


def _events(kind: str | None, administration: str | None, after: datetime, before: datetime):
    # A series may have occurrences long after its first; a single event must not have ended.
    query = _matching(kind, administration).where(
        Event.starts_at < before, sa.or_(Event.rrule.is_not(None), Event.ends_at > after)
    )
    return list(db.session.scalars(query))


def occurrences_between(
    start: datetime, end: datetime, kind: str | None = None, administration: str | None = None
) -> list[Occurrence]:
    # Events that start after the window too: one of their occurrences may be moved into it.
    found = [
        o
        for event in _events(kind, administration, start, end + UPCOMING)
        for o in occurrences.between(event, start, end)
    ]
    return sorted(found, key=lambda o: (o.starts_at, o.event.title))


def upcoming(kind=None, administration=None, now: datetime | None = None) -> list[Occurrence]:
    now = now or utcnow()
    return occurrences_between(now, now + UPCOMING, kind, administration)


def past(kind=None, administration=None, now: datetime | None = None) -> list[Occurrence]:
    now = now or utcnow()
    found = [
        o for o in occurrences_between(now - PAST, now, kind, administration) if o.ends_at <= now
    ]
    return found[::-1]


def by_month(items: list[Occurrence]) -> list[tuple[date, list[Occurrence]]]:
    groups: dict[date, list[Occurrence]] = {}
    for occurrence in items:
        start = local(occurrence.starts_at)
        groups.setdefault(date(start.year, start.month, 1), []).append(occurrence)
    return list(groups.items())


@dataclass
class Day:
    day: date
    in_month: bool
    occurrences: list[Occurrence] = field(default_factory=list)


def month_grid(year: int, month: int, kind=None, administration=None) -> list[list[Day]]:
    """The weeks (Monday first) that show the month, each day with what starts on it."""
    weeks = Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = at_local(weeks[0][0], time(0))
    end = at_local(weeks[-1][-1] + timedelta(days=1), time(0))
    by_day: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences_between(start, end, kind, administration):
        by_day.setdefault(local(occurrence.starts_at).date(), []).append(occurrence)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in weeks]


def events_organised_by(user_id: int, now: datetime | None = None) -> list[Occurrence]:
    """The user's upcoming meetings as organiser, not cancelled, soonest first (for the contact
    person's profile). Each item has ``title``, ``starts_at``, ``ends_at``, ``location`` and
    ``url_values`` for ``url_for("calendar.occurrence" or "calendar.event", **url_values)``."""
    now = now or utcnow()
    events = db.session.scalars(
        sa.select(Event).where(Event.organiser_id == user_id, Event.status != "cancelled")
    )
    found = [o for e in events for o in occurrences.between(e, now, now + UPCOMING)]
    return sorted((o for o in found if not o.is_cancelled), key=lambda o: o.starts_at)
