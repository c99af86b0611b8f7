"""The one place that serialises work on an event: registrations and edits of the same event
wait for each other, so two people can never both get the last seat."""

from __future__ import annotations

import sqlalchemy as sa

from portal.calendar.models import Event
from portal.errors import Conflict
from portal.extensions import db

STALE = (
    "Mødet er blevet ændret af en anden, mens du arbejdede, så dine ændringer er ikke gemt. "
    "Dine indtastninger står stadig i formularen: tjek dem mod mødet, som det ser ud nu, "
    "og gem igen."
)


def lock(event: Event) -> None:
    """Lock the event's row until commit (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every
    transaction already starts with BEGIN IMMEDIATE) and read its current state."""
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    db.session.refresh(event)
    db.session.expire(event, ["changes"])


def check_version(event: Event, version: int | None) -> None:
    """:raises Conflict: if the event changed since the form was opened (its SEQUENCE moved),
    or the form carried no version."""
    if version != event.sequence:
        raise Conflict(STALE)
