"""Mail to the people registered for a meeting: confirmed or on the waitlist, unregistered,
moved up from the waitlist, the meeting moved or cancelled. Each is queued in the transaction
of the change that causes it (``portal.mail.queue``), and a person with a seat gets the
meeting as an ``.ics`` invitation built by ``ics.invitation`` from the feed's own VEVENTs,
so Outlook adds, updates or removes the same entry the subscription shows.

Each message's key names its event (a registration, or an event's SEQUENCE and the person), so
the same change never mails anyone twice. Those who unregistered have no registration, so they
get no later mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app

from portal import mail
from portal.calendar import formatting, ics, occurrences
from portal.calendar.models import REGISTERED, WAITLISTED, Event, Registration
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.extensions import db

KIND = "registration"  # a required kind: nobody can turn it off

SUBJECTS = {
    "confirmed": "Du er tilmeldt: {title}",
    "waitlisted": "Du står på venteliste: {title}",
    "promoted": "Du har fået en plads: {title}",
    "changed": "Mødet er flyttet: {title}",
    "cancelled": "Mødet er aflyst: {title}",
    "unregistered": "Du er afmeldt: {title}",
}


def _stamp(registration: Registration) -> str:
    # With the id, the moment of registering: a row id may come back after an unregistration
    # (SQLite reuses the highest), and a new registration must still get its mail.
    return f"{registration.id}:{registration.created_at:%Y%m%dT%H%M%S%f}"


def _organiser() -> tuple[str, str]:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return name or "BIF-SOF Portalen", address


def _attachment(
    occurrence: Occurrence, registration: Registration, withdrawn: bool
) -> mail.Attachment:
    user = registration.user
    data, method = ics.invitation(
        occurrence, formatting.absolute_link, (user.name, user.email), _organiser(), withdrawn
    )
    return mail.Attachment(
        filename="aflysning.ics" if method == "CANCEL" else "moede.ics",
        content_type="text/calendar",
        data=data,
        params={"method": method, "charset": "utf-8"},
    )


def _send(what: str, key: str, occurrence: Occurrence, registration: Registration, **extra):
    user = registration.user
    if not user.active:
        return
    seated = registration.status == REGISTERED
    event = occurrence.event
    mail.queue(
        key=key,
        kind=KIND,
        to=user.email,
        name=user.name,
        user=user,
        template="calendar_registration",
        subject=SUBJECTS[what].format(title=event.title),
        context={
            "what": what,
            "title": event.title,
            "when": formatting.occurrence_when(occurrence),
            "location": occurrence.location,
            "reason": occurrence.cancel_reason,
            "link": formatting.absolute_link(event, occurrence),
            "waitlisted": not seated,
            "with_ics": seated,
            **extra,
        },
        attachments=[_attachment(occurrence, registration, what == "unregistered")]
        if seated
        else [],
    )


def registered(occurrence: Occurrence, registration: Registration, position: int | None) -> None:
    """A new registration: a seat (with the invitation) or a place on the waitlist."""
    what = "waitlisted" if registration.status == WAITLISTED else "confirmed"
    key = f"registration:{_stamp(registration)}:{what}"
    _send(what, key, occurrence, registration, position=position)


def unregistered(occurrence: Occurrence, registration: Registration) -> None:
    """The person unregistered (the row is deleted): with a seat, they had the meeting in
    Outlook, and the attached cancellation removes it. Later changes no longer reach them."""
    if registration.status == REGISTERED:
        key = f"registration:{_stamp(registration)}:unregistered"
        _send("unregistered", key, occurrence, registration)


def promoted(event: Event, moved_up: Iterable[Registration]) -> None:
    """Each registration moved up from the waitlist to a seat."""
    for registration in moved_up:
        occurrence = occurrences.of_key(event, registration.occurrence)
        if occurrence is not None:
            key = f"registration:{_stamp(registration)}:promoted"
            _send("promoted", key, occurrence, registration)


def changed(event: Event, day: date | None = None) -> None:
    """The event (``day`` None: every date of it) or one date of a series was moved or
    cancelled: everyone registered for a date still to come is told, with the SEQUENCE the
    feed now carries."""
    query = sa.select(Registration).where(Registration.event_id == event.id)
    if day is not None:
        query = query.where(Registration.occurrence == day.isoformat())
    now = utcnow()
    for registration in db.session.scalars(query.order_by(Registration.id)):
        occurrence = occurrences.of_key(event, registration.occurrence)
        if occurrence is None or occurrence.ends_at <= now:
            continue
        what = "cancelled" if occurrence.is_cancelled else "changed"
        key = f"event:{event.id}:{what}:{event.sequence}:{registration.user_id}"
        if registration.occurrence:
            key += f":{registration.occurrence}"
        _send(what, key, occurrence, registration)
