"""Factories for meetings: events are created through the service, as an editor would."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from portal.calendar import loading, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import Event
from portal.db import utcnow
from portal.extensions import db
from portal.timeutil import local
from tests.mail.conftest import smtp  # noqa: F401  (the SMTP server fixture, for test_mail.py)


def soon(days: int = 30) -> date:
    """A Copenhagen date ``days`` from now."""
    return local(utcnow() + timedelta(days=days)).date()


@pytest.fixture
def make_event(app):
    """Factory: ``make_event(capacity=2)`` creates and commits a meeting 30 days from now and
    returns its id. Keyword arguments are EventData fields."""

    def factory(**fields) -> int:
        values = {
            "title": "Netværksmøde for kontaktpersoner",
            "kind": "network",
            "administration": "both",
            "day": soon(),
            "start": time(13),
            "end": time(15, 30),
            "location": "Københavns Rådhus",
            "description": "Vi mødes og **udveksler** erfaringer.",
        }
        values.update(fields)
        with app.app_context():
            event = services.create_event(EventData(**values), None)
            db.session.commit()
            return event.id

    return factory


@pytest.fixture
def load(app):
    """``load(event_id, day=None)``: the occurrence as it is in the database now."""

    def get(event_id: int, day: date | None = None):
        with app.app_context():
            occurrence = loading.get_occurrence(event_id, day)
            db.session.expunge_all()
            return occurrence

    return get


def version(app, event_id: int) -> int:
    with app.app_context():
        return db.session.get(Event, event_id).sequence
