"""Loading one event or one of its occurrences for a page or a change, and the organisers an
editor can choose. Reading many at once (the lists, the month grid) is in ``listing.py``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.auth.models import User
from portal.calendar import occurrences
from portal.calendar.models import Event
from portal.calendar.occurrences import Occurrence
from portal.errors import NotFound
from portal.extensions import db
from portal.security import Role


def get_event(event_id: int) -> Event:
    """:raises NotFound: if there is no such event."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("Mødet findes ikke. Måske er det slettet.")
    return event


def occurrence_on(event: Event, day: date | None) -> Occurrence:
    """:raises NotFound: if ``event`` does not happen on ``day`` (None: a single event)."""
    found = occurrences.find(event, day)
    if found is None:
        raise NotFound("Mødet findes ikke på den dato.")
    return found


def get_occurrence(event_id: int, day: date | None) -> Occurrence:
    """:raises NotFound: if the event does not happen on ``day`` (None: a single event)."""
    return occurrence_on(get_event(event_id), day)


def organiser_choices() -> list[User]:
    """The active contact persons, by name (the special unit is the form's empty choice)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == Role.CONTACT.value, User.active.is_(True))
            .order_by(User.name)
        )
    )
