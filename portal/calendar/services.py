"""Events: create, edit, move, cancel and delete them. Functions flush and audit; the caller
commits. What an editor enters and its checks are in ``eventdata.py``; loading one event in
``loading.py``; reading many at once (the list, the month grid) in ``listing.py``.

Every change locks the event's row (``locking.lock``), so it waits for registrations and other
edits of the same event, and is checked against the version the editor's form was opened at.
"""

from __future__ import annotations

import uuid
from datetime import date, time

import sqlalchemy as sa

from portal import audit
from portal.auth.models import User
from portal.calendar import notices, occurrences, registrations
from portal.calendar.eventdata import EventData, check_day, one_line, refuse_cpr, validate
from portal.calendar.loading import occurrence_on
from portal.calendar.locking import lock
from portal.calendar.models import Event, OccurrenceChange, Registration
from portal.calendar.occurrences import Occurrence
from portal.cpr import contains_cpr
from portal.db import utcnow
from portal.errors import ValidationError, check_version
from portal.extensions import db
from portal.text import render
from portal.timeutil import at_local

NOUN = "Mødet"  # for the version check's message


def _lock_at(event: Event, version: int | None) -> None:
    """Lock the event and check that it is still the version the editor's form was opened at.

    :raises Conflict: if the event changed since then, or the form carried no version.
    """
    lock(event)
    check_version(event, version, NOUN)


# A change to these moves the meeting: the registered people are told, with a new invitation.
MOVING = {"starts_at", "ends_at", "rrule", "location"}

FIELDS = [
    "title",
    "kind",
    "administration",
    "starts_at",
    "ends_at",
    "rrule",
    "location",
    "description_source",
    "organiser_id",
    "capacity",
    "registration_deadline",
]


def _apply(event: Event, data: EventData, rule: str | None) -> None:
    event.title = data.title
    event.kind = data.kind
    event.administration = data.administration
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.rrule = rule
    event.location = data.location
    event.description_source = data.description
    event.description_html = render(data.description).html
    event.organiser_id = data.organiser_id
    event.capacity = data.capacity
    event.registration_deadline = data.deadline


def _touch(event: Event, whole: bool = True) -> None:
    """Every change raises the SEQUENCE; ``updated_at`` tells the participants of every date
    that something changed, so a change to one date of a series leaves it alone."""
    event.sequence += 1
    if whole:
        event.updated_at = utcnow()


def new_uid() -> str:
    """A new iCalendar UID. The CPR guard reads every text column, and about one random UID in
    1,300 has digits that look like a CPR number (``…240884-8498…``): such a UID is drawn again
    rather than refusing the editor's meeting."""
    while contains_cpr(uid := f"{uuid.uuid4()}@bif-sof-portalen"):
        pass
    return uid


def create_event(data: EventData, actor: User | None) -> Event:
    """:raises ValidationError: with a Danish message for input that cannot be saved."""
    rule = validate(data)
    event = Event(uid=new_uid(), is_demo=data.is_demo)
    _apply(event, data, rule)
    db.session.add(event)
    db.session.flush()
    audit.record(actor, "create", "event", event.id, "title", None, event.title)
    return event


def _lost_days(event: Event) -> set[str]:
    """Dates with registrations or changes that the event's (new) schedule no longer holds."""
    used = set(
        db.session.scalars(
            sa.select(Registration.occurrence).where(Registration.event_id == event.id)
        )
    ) | {c.day for c in event.changes}
    if not event.is_series:
        return used - {occurrences.SINGLE}
    return {d for d in used if not d or occurrences.find(event, date.fromisoformat(d)) is None}


def update_event(event: Event, data: EventData, version: int | None, actor: User | None) -> Event:
    """Save an editor's changes to an event or a whole series.

    :raises Conflict: if the event changed since the editor opened the form.
    :raises ValidationError: for invalid input, or a new schedule that would drop dates that
        people are registered for (move or cancel those dates one at a time instead).
    """
    _lock_at(event, version)
    rule = validate(data)
    before = {name: getattr(event, name) for name in FIELDS}
    _apply(event, data, rule)
    changed = {n: (before[n], getattr(event, n)) for n in FIELDS if before[n] != getattr(event, n)}
    if not changed:
        return event
    if {"starts_at", "rrule"} & changed.keys() and _lost_days(event):
        raise ValidationError(
            "Den nye plan fjerner datoer, som der er tilmeldinger til eller ændringer på. "
            "Flyt eller aflys de enkelte datoer i stedet."
        )
    _touch(event)
    db.session.flush()
    for name, (old, new) in changed.items():
        audit.record(actor, "update", "event", event.id, name, old, new)
    if "capacity" in changed:
        registrations.fill_all_seats(event, actor)
    if MOVING & changed.keys():
        notices.changed(event)
    return event


def _change_for(event: Event, occurrence: Occurrence) -> OccurrenceChange:
    if occurrence.change is not None:
        return occurrence.change
    change = OccurrenceChange(event=event, day=occurrence.key)
    db.session.add(change)
    return change


def move(
    event: Event,
    day: date | None,
    new_day: date,
    start: time,
    end: time,
    location: str,
    version: int | None,
    actor: User | None,
) -> Occurrence:
    """Move an event, or one occurrence of a series (the rest of the series stays).

    :raises Conflict: if the event changed since the editor opened the form.
    """
    _lock_at(event, version)
    occurrence = occurrence_on(event, day)
    location = one_line(location) or occurrence.location
    refuse_cpr(sted=location)
    check_day(new_day)
    if end <= start:
        raise ValidationError("Mødet skal slutte, efter det begynder.")
    if occurrence.is_cancelled:
        raise ValidationError("Et aflyst møde kan ikke flyttes.")
    starts_at, ends_at = at_local(new_day, start), at_local(new_day, end)
    now_at = (occurrence.starts_at, occurrence.ends_at, occurrence.location)
    if (starts_at, ends_at, location) == now_at:
        raise ValidationError("Vælg en ny dato, et nyt tidspunkt eller et nyt sted.")
    if occurrence.key:
        change = _change_for(event, occurrence)
        change.status, change.cancel_reason = "moved", None
        change.starts_at, change.ends_at, change.location = starts_at, ends_at, location
        change.updated_at = utcnow()
    else:
        if event.status != "moved":
            event.moved_from = event.starts_at
        shift = event.registration_deadline and event.starts_at - event.registration_deadline
        event.starts_at, event.ends_at, event.location = starts_at, ends_at, location
        event.status = "moved"
        if shift:
            event.registration_deadline = starts_at - shift
    _touch(event, whole=not occurrence.key)
    db.session.flush()
    target = f"{event.id}/{occurrence.key}" if occurrence.key else str(event.id)
    audit.record(actor, "move", "event", target, "starts_at", occurrence.starts_at, starts_at)
    notices.changed(event, day)
    return occurrence_on(event, day)


def cancel(
    event: Event, day: date | None, reason: str, version: int | None, actor: User | None
) -> Occurrence | None:
    """Cancel an event, a whole series (``day`` None) or one occurrence of a series. A cancelled
    event stays in the calendar, marked "Aflyst" with the reason.

    :raises Conflict: if the event changed since the editor opened the form.
    """
    _lock_at(event, version)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Skriv, hvorfor mødet aflyses.")
    refuse_cpr(begrundelse=reason)
    if day is None:
        if event.status == "cancelled":
            raise ValidationError("Mødet er allerede aflyst.")
        event.status, event.cancel_reason = "cancelled", reason
        target = str(event.id)
    else:
        occurrence = occurrence_on(event, day)
        if occurrence.is_cancelled:
            raise ValidationError("Mødet er allerede aflyst.")
        change = _change_for(event, occurrence)
        change.status, change.cancel_reason, change.updated_at = "cancelled", reason, utcnow()
        target = f"{event.id}/{occurrence.key}"
    _touch(event, whole=day is None)
    db.session.flush()
    audit.record(actor, "cancel", "event", target, "cancel_reason", None, reason)
    notices.changed(event, day)
    return occurrences.find(event, day) if day else None


def delete_event(event: Event, version: int | None, actor: User | None) -> None:
    """Delete an event with its registrations (for one created by mistake; a meeting that will
    not be held is cancelled instead, so that participants see it).

    :raises Conflict: if the event changed since the editor opened the form.
    """
    _lock_at(event, version)
    audit.record(actor, "delete", "event", event.id, "title", event.title, None)
    db.session.delete(event)
    db.session.flush()
