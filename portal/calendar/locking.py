"""The one place that serialises work on an event: registrations and edits of the same event
wait for each other, so two people can never both get the last seat. (An edit then checks the
version its form was opened at with ``errors.check_version``: see ``services.py``.)"""

from __future__ import annotations

import sqlalchemy as sa

from portal.calendar.models import Event
from portal.extensions import db


def lock(event: Event) -> None:
    """Lock the event's row until commit (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every
    transaction already starts with BEGIN IMMEDIATE) and read its current state."""
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    db.session.refresh(event)
    db.session.expire(event, ["changes"])
