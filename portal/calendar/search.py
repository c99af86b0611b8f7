"""How meetings are found (kind "kalender"): one document per event or series. A cancelled
meeting stays findable, marked "Aflyst", as it stays in the calendar; a deleted one is gone."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from babel.dates import format_datetime

from portal.auth.models import User
from portal.calendar import rules
from portal.calendar.models import Event, OccurrenceChange
from portal.extensions import db
from portal.search import SearchDocument, Source, every_word_in
from portal.text import plain_text
from portal.timeutil import at_local, local


def _when(event: Event) -> str:
    # Nothing here may depend on today's date: the index is checked against the database.
    start = format_datetime(local(event.starts_at), "EEEE d. MMMM y 'kl.' HH.mm", locale="da")
    if event.rrule:
        return f"{rules.describe(event.rrule, local(event.starts_at))}, første gang {start}"
    return start


def _past_after(event: Event) -> datetime | None:
    """When the meeting, or the series' last meeting, is over (None: a series without end)."""
    if not event.rrule:
        return event.ends_at
    last = rules.choices(event.rrule, local(event.starts_at))[2]
    return at_local(last + timedelta(days=1), time(0)) if last else None


def document(event: Event) -> SearchDocument:
    cancelled = event.status == "cancelled"
    summary = f"{event.kind_label}. {_when(event)}. {event.location}."
    if cancelled:
        summary = f"Aflyst: {(event.cancel_reason or '').rstrip('.')}. {summary}"
    body = [plain_text(event.description_html), f"Arrangør: {event.organiser_name}."]
    body += [f"Aflyst {c.day}: {c.cancel_reason}" for c in event.changes if c.cancel_reason]
    return SearchDocument(
        source="event",
        key=str(event.id),
        kind="kalender",
        title=f"Aflyst: {event.title}" if cancelled else event.title,
        url=f"/kalender/{event.id}",
        administration=event.administration,
        summary=summary,
        body="\n".join(body),
        tags=(event.kind_label, event.location),
        name=event.organiser.name if event.organiser else "",
        cancelled=cancelled,
        past_after=_past_after(event),
    )


def load(key: str) -> SearchDocument | None:
    event = db.session.get(Event, int(key))
    return None if event is None else document(event)


def all_keys() -> list[str]:
    return [str(i) for i in db.session.scalars(sa.select(Event.id))]


def fallback(words: list[str]) -> list[SearchDocument]:
    """A plain database search, used only while the index cannot be."""
    query = sa.select(Event).where(
        *every_word_in(words, Event.title, Event.location, Event.description_source)
    )
    return [document(e) for e in db.session.scalars(query.limit(200))]


def _key_of(obj) -> int:
    return obj.event_id if isinstance(obj, OccurrenceChange) else obj.id


def _organised_by(user: User, deleted: bool) -> list[int]:
    """A renamed or erased organiser changes the documents of the meetings they organise."""
    state: sa.orm.InstanceState[User] = sa.inspect(user)
    if user.id is None or not (deleted or state.attrs.name.history.has_changes()):
        return []
    session = state.session
    query = sa.select(Event.id).where(Event.organiser_id == user.id)
    return list(session.scalars(query)) if session is not None else []


SOURCE = Source(
    name="event",
    models=(Event, OccurrenceChange),
    key_of=_key_of,
    load=load,
    all_keys=all_keys,
    fallback=fallback,
    related=((User, _organised_by),),
)
