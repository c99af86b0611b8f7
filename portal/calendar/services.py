"""Events: create, edit, move, cancel and delete them. Functions flush and audit; the caller
commits. Reading many at once (the list, the month grid) is in ``listing.py``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from portal import audit
from portal.administration import VALUES
from portal.auth.models import User
from portal.calendar import occurrences, registrations, rules
from portal.calendar.locking import check_version, lock
from portal.calendar.models import KINDS, Event, OccurrenceChange, Registration
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.errors import NotFound, ValidationError
from portal.extensions import db
from portal.security import Role
from portal.text import contains_cpr, render
from portal.timeutil import at_local, local

UPCOMING = timedelta(days=365)  # how far ahead the list and the profile pages look
MAX_CAPACITY = 10_000
CPR_MESSAGE = (
    "{field} ser ud til at indeholde et CPR-nummer. Oplysninger om borgere hører ikke hjemme i "
    "portalen: fjern nummeret, og gem igen."
)


@dataclass
class EventData:
    """What an editor enters for an event. Times are Copenhagen wall-clock times."""

    title: str
    kind: str
    administration: str
    day: date
    start: time
    end: time
    location: str
    description: str = ""
    organiser_id: int | None = None
    capacity: int | None = None
    deadline: datetime | None = None  # aware
    frequency: str = ""  # "", WEEKLY or MONTHLY
    interval: int = 1
    until: date | None = None
    is_demo: bool = False

    @property
    def starts_at(self) -> datetime:
        return at_local(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return at_local(self.day, self.end)


def refuse_cpr(**texts: str | None) -> None:
    """:raises ValidationError: if any of the texts (keyword: its Danish field name) holds a
    CPR-like number."""
    for name, text in texts.items():
        if text and contains_cpr(text):
            raise ValidationError(CPR_MESSAGE.format(field=name.replace("_", " ").capitalize()))


def _organiser(organiser_id: int | None) -> User | None:
    if organiser_id is None:
        return None
    user = db.session.get(User, organiser_id)
    if user is None or not user.active or user.role != Role.CONTACT:
        raise ValidationError("Arrangøren skal være en aktiv kontaktperson eller specialenheden.")
    return user


def _validate(data: EventData) -> str | None:
    """Check the editor's input and return the series' RRULE (or None)."""
    data.title, data.location = data.title.strip(), data.location.strip()
    if not data.title or len(data.title) > 200:
        raise ValidationError("Titlen skal udfyldes og må højst have 200 tegn.")
    if not data.location or len(data.location) > 300:
        raise ValidationError("Stedet skal udfyldes og må højst have 300 tegn.")
    if data.kind not in KINDS or data.administration not in VALUES:
        raise ValidationError("Vælg en mødetype og en målgruppe fra listerne.")
    if data.end <= data.start:
        raise ValidationError("Mødet skal slutte, efter det begynder.")
    if data.capacity is not None and not 0 < data.capacity <= MAX_CAPACITY:
        raise ValidationError(f"Antal pladser skal være mellem 1 og {MAX_CAPACITY}.")
    if data.deadline is not None and data.deadline >= data.starts_at:
        raise ValidationError("Tilmeldingsfristen skal ligge før mødet begynder.")
    refuse_cpr(titel=data.title, sted=data.location, beskrivelse=data.description)
    _organiser(data.organiser_id)
    if not data.frequency:
        return None
    start_local = local(data.starts_at)
    rule = rules.build(data.frequency, data.interval, start_local, data.until)
    rules.check(rule, start_local)
    return rule


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


def create_event(data: EventData, actor: User | None) -> Event:
    """:raises ValidationError: with a Danish message for input that cannot be saved."""
    rule = _validate(data)
    event = Event(uid=f"{uuid.uuid4()}@bif-sof-portalen", is_demo=data.is_demo)
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


def update_event(event: Event, data: EventData, version: int, actor: User | None) -> Event:
    """Save an editor's changes to an event or a whole series.

    :raises Conflict: if the event changed since the editor opened the form.
    :raises ValidationError: for invalid input, or a new schedule that would drop dates that
        people are registered for (move or cancel those dates one at a time instead).
    """
    lock(event)
    check_version(event, version)
    rule = _validate(data)
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
    return event


def _change_for(event: Event, occurrence: Occurrence) -> OccurrenceChange:
    if occurrence.change is not None:
        return occurrence.change
    change = OccurrenceChange(event=event, day=occurrence.key)
    db.session.add(change)
    return change


def _occurrence(event: Event, day: date | None) -> Occurrence:
    found = occurrences.find(event, day)
    if found is None:
        raise NotFound("Mødet findes ikke på den dato.")
    return found


def move(
    event: Event,
    day: date | None,
    new_day: date,
    start: time,
    end: time,
    location: str,
    version: int,
    actor: User | None,
) -> Occurrence:
    """Move an event, or one occurrence of a series (the rest of the series stays).

    :raises Conflict: if the event changed since the editor opened the form.
    """
    lock(event)
    check_version(event, version)
    occurrence = _occurrence(event, day)
    location = location.strip() or occurrence.location
    refuse_cpr(sted=location)
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
    target = f"{event.id}/{occurrence.key}" if occurrence.key else event.id
    audit.record(actor, "move", "event", target, "starts_at", occurrence.starts_at, starts_at)
    return _occurrence(event, day)


def cancel(
    event: Event, day: date | None, reason: str, version: int, actor: User | None
) -> Occurrence | None:
    """Cancel an event, a whole series (``day`` None) or one occurrence of a series. A cancelled
    event stays in the calendar, marked "Aflyst" with the reason.

    :raises Conflict: if the event changed since the editor opened the form.
    """
    lock(event)
    check_version(event, version)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Skriv, hvorfor mødet aflyses.")
    refuse_cpr(begrundelse=reason)
    if day is None:
        if event.status == "cancelled":
            raise ValidationError("Mødet er allerede aflyst.")
        event.status, event.cancel_reason = "cancelled", reason
        target = event.id
    else:
        occurrence = _occurrence(event, day)
        if occurrence.is_cancelled:
            raise ValidationError("Mødet er allerede aflyst.")
        change = _change_for(event, occurrence)
        change.status, change.cancel_reason, change.updated_at = "cancelled", reason, utcnow()
        target = f"{event.id}/{occurrence.key}"
    _touch(event, whole=day is None)
    db.session.flush()
    audit.record(actor, "cancel", "event", target, "cancel_reason", None, reason)
    return occurrences.find(event, day) if day else None


def delete_event(event: Event, version: int, actor: User | None) -> None:
    """Delete an event with its registrations (for one created by mistake; a meeting that will
    not be held is cancelled instead, so that participants see it).

    :raises Conflict: if the event changed since the editor opened the form.
    """
    lock(event)
    check_version(event, version)
    audit.record(actor, "delete", "event", event.id, "title", event.title, None)
    db.session.delete(event)
    db.session.flush()


# Reading


def get_event(event_id: int) -> Event:
    """:raises NotFound: if there is no such event."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Mødet findes ikke. Måske er det slettet.")
    return event


def get_occurrence(event_id: int, day: date | None) -> Occurrence:
    """:raises NotFound: if the event does not happen on ``day`` (None: a single event)."""
    return _occurrence(get_event(event_id), day)


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


def organiser_choices() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == Role.CONTACT.value, User.active.is_(True))
            .order_by(User.name)
        )
    )
