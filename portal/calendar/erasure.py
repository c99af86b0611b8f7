"""A person erased while they hold a seat (``contacts.privacy.erase`` deletes the user row and
the database deletes their registrations with it): the seat goes to the first on the
waitlist, as when they unregister, and that person is told by mail.

Erasure belongs to another feature, so this listens to the session: before a flush deletes a
user, it notes which future meetings they have a seat at; before the commit, it fills those
seats from the waitlists (``registrations.fill_seats``), in the same transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.calendar import occurrences, registrations
from portal.calendar.locking import lock
from portal.calendar.models import REGISTERED, Event, Registration
from portal.db import utcnow

FREED = "calendar_freed_seats"  # session.info: {(event id, occurrence key)}


def note_freed_seats(session: Session, flush_context: Any, instances: Any) -> None:
    ids = [o.id for o in session.deleted if isinstance(o, User) and o.id is not None]
    if not ids:
        return
    seats = session.execute(
        sa.select(Registration.event_id, Registration.occurrence).where(
            Registration.user_id.in_(ids), Registration.status == REGISTERED
        )
    ).all()
    if seats:
        session.info.setdefault(FREED, set()).update((row[0], row[1]) for row in seats)


def fill_freed_seats(session: Session) -> None:
    freed = session.info.pop(FREED, None)
    for event_id, key in sorted(freed or ()):
        event = session.get(Event, event_id)
        if event is None:
            continue
        lock(event)
        occurrence = occurrences.of_key(event, key)
        if occurrence is None or occurrence.is_cancelled or occurrence.starts_at <= utcnow():
            continue
        registrations.fill_seats(event, key, None)


def init_app() -> None:
    """Registered once per process, for every session (as ``portal.privacy``'s guard)."""
    if not orm_event.contains(Session, "before_flush", note_freed_seats):
        orm_event.listen(Session, "before_flush", note_freed_seats)
        orm_event.listen(Session, "before_commit", fill_freed_seats)
