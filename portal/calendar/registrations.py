"""Registration ("Tilmeld"): seats, the waitlist that moves up, and the deadline. Functions
flush and audit; the caller commits. Who has registered, as a list and CSV for the organiser
and the editors, is in ``participant_list.py``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal import audit
from portal.administration import Administration
from portal.auth.models import User
from portal.calendar import notices
from portal.calendar.loading import occurrence_on
from portal.calendar.locking import lock
from portal.calendar.models import REGISTERED, WAITLISTED, Event, Registration
from portal.calendar.occurrences import Occurrence
from portal.cpr import contains_cpr
from portal.db import utcnow
from portal.errors import ValidationError
from portal.extensions import db

# The participant's own administration, as they give it when they register. Not the domain's
# ``Administration`` (what a meeting is for: BIF, SOF or both): a person belongs to BIF, SOF or
# neither ("other", stored as NULL), so this is a table of its own; BIF and SOF keep the base's
# labels.
OTHER = "other"
ADMINISTRATIONS = {a.value: a.label for a in (Administration.BIF, Administration.SOF)} | {
    OTHER: "Anden eller ikke oplyst"
}


@dataclass(frozen=True)
class Seats:
    capacity: int | None
    taken: int
    waiting: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


def of_occurrence(event_id: int, key: str) -> sa.ColumnElement[bool]:
    """The condition for the registrations of one occurrence (``key`` "" for a single event)."""
    return sa.and_(Registration.event_id == event_id, Registration.occurrence == key)


def seats_taken(event: Event, key: str) -> int:
    count = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            of_occurrence(event.id, key), Registration.status == REGISTERED
        )
    )
    return count or 0


def seats(occurrence: Occurrence) -> Seats:
    counts = dict(
        db.session.execute(
            sa.select(Registration.status, sa.func.count(Registration.id))
            .where(of_occurrence(occurrence.event.id, occurrence.key))
            .group_by(Registration.status)
        ).all()
    )
    return Seats(occurrence.event.capacity, counts.get(REGISTERED, 0), counts.get(WAITLISTED, 0))


def registration_of(occurrence: Occurrence, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Registration).where(
            of_occurrence(occurrence.event.id, occurrence.key), Registration.user_id == user.id
        )
    )


def waitlist_position(registration: Registration) -> int:
    """1 for the first on the waitlist."""
    earlier = sa.or_(
        Registration.created_at < registration.created_at,
        sa.and_(
            Registration.created_at == registration.created_at,
            Registration.id < registration.id,
        ),
    )
    ahead = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            of_occurrence(registration.event_id, registration.occurrence),
            Registration.status == WAITLISTED,
            earlier,
        )
    )
    return 1 + (ahead or 0)


def closed_because(occurrence: Occurrence, now: datetime | None = None) -> str | None:
    """Why one cannot register now, in Danish; None while registration is open."""
    now = now or utcnow()
    if occurrence.is_cancelled:
        return "Mødet er aflyst."
    if occurrence.starts_at <= now:
        return "Mødet er begyndt eller holdt."
    deadline = occurrence.registration_deadline
    if deadline is not None and deadline <= now:
        return "Tilmeldingsfristen er overskredet."
    return None


def last_details(user: User) -> tuple[str | None, str | None]:
    """The administration and unit the user gave last time, to fill in the form."""
    row = db.session.execute(
        sa.select(Registration.administration, Registration.unit)
        .where(Registration.user_id == user.id)
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(1)
    ).first()
    return (row[0] or OTHER, row[1]) if row else (None, None)


def _fresh(occurrence: Occurrence) -> Occurrence:
    """The occurrence as it is now that the event is locked."""
    lock(occurrence.event)
    return occurrence_on(occurrence.event, occurrence.day)


def register(
    occurrence: Occurrence, user: User, administration: str, unit: str | None = None
) -> Registration:
    """Give the user a seat, or a place on the waitlist when the seats are taken.

    The event's row is locked while the seats are counted, so two users racing for the last
    seat are served one after the other: one gets it, the other is put on the waitlist.

    :raises ValidationError: if registration is closed or the user is already registered.
    """
    if administration not in ADMINISTRATIONS:
        raise ValidationError("Vælg din forvaltning.")
    unit = (unit or "").strip() or None
    if unit and (len(unit) > 200 or contains_cpr(unit)):
        raise ValidationError("Enheden må højst have 200 tegn og må ikke indeholde et CPR-nummer.")
    occurrence = _fresh(occurrence)
    reason = closed_because(occurrence)
    if reason:
        raise ValidationError(f"Du kan ikke tilmelde dig. {reason}")
    existing = registration_of(occurrence, user)
    if existing is not None:
        where = "på ventelisten" if existing.status == WAITLISTED else "tilmeldt"
        raise ValidationError(f"Du er allerede {where}.")
    event = occurrence.event
    capacity = event.capacity
    full = capacity is not None and seats_taken(event, occurrence.key) >= capacity
    registration = Registration(
        event_id=event.id,
        occurrence=occurrence.key,
        user_id=user.id,
        status=WAITLISTED if full else REGISTERED,
        administration=None if administration == OTHER else administration,
        unit=unit,
    )
    db.session.add(registration)
    db.session.flush()
    target = _target(occurrence)
    audit.record(user, "register", "event", target, "status", None, registration.status)
    position = waitlist_position(registration) if registration.status == WAITLISTED else None
    notices.registered(occurrence, registration, position)
    return registration


def unregister(occurrence: Occurrence, user: User) -> list[Registration]:
    """Cancel the user's registration; the first on the waitlist takes a freed seat.

    Returns the registrations that moved up from the waitlist.

    :raises ValidationError: if the user is not registered or the meeting has begun.
    """
    occurrence = _fresh(occurrence)
    registration = registration_of(occurrence, user)
    if registration is None:
        raise ValidationError("Du er ikke tilmeldt dette møde.")
    if occurrence.starts_at <= utcnow():
        raise ValidationError("Mødet er begyndt eller holdt, så du kan ikke afmelde dig.")
    had_seat = registration.status == REGISTERED
    db.session.delete(registration)
    db.session.flush()
    audit.record(user, "unregister", "event", _target(occurrence), "status", registration.status)
    notices.unregistered(occurrence, registration)
    return fill_seats(occurrence.event, occurrence.key, None) if had_seat else []


def fill_seats(event: Event, key: str, actor: User | None) -> list[Registration]:
    """Move people up from the waitlist, first come first served, while there are free seats,
    and tell each by mail. The caller holds the event's lock."""
    waiting = list(
        db.session.scalars(
            sa.select(Registration)
            .where(of_occurrence(event.id, key), Registration.status == WAITLISTED)
            .order_by(Registration.created_at, Registration.id)
        )
    )
    taken = seats_taken(event, key)
    promoted = []
    for registration in waiting:
        if event.capacity is not None and taken >= event.capacity:
            break
        registration.status = REGISTERED
        taken += 1
        promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        target = f"{event.id}/{key}" if key else event.id
        audit.record(actor, "promote", "event", target, "user_id", None, registration.user_id)
    notices.promoted(event, promoted)
    return promoted


def fill_all_seats(event: Event, actor: User | None) -> list[Registration]:
    """After the capacity changed: fill the new seats of every occurrence from its waitlist."""
    keys = db.session.scalars(
        sa.select(Registration.occurrence)
        .where(Registration.event_id == event.id, Registration.status == WAITLISTED)
        .distinct()
    )
    return [r for key in list(keys) for r in fill_seats(event, key, actor)]


def _target(occurrence: Occurrence) -> str:
    return f"{occurrence.event.id}/{occurrence.key}" if occurrence.key else str(occurrence.event.id)
