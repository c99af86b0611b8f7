"""What the calendar contributes to other features' pages, through ``portal.signals``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from portal.calendar import formatting, listing
from portal.calendar.models import STATUSES, WAITLISTED, Event, Registration
from portal.extensions import db
from portal.timeutil import local

UPCOMING_ON_FRONT_PAGE = 4


def front_page(app: Flask) -> dict:
    """The next meetings that are not cancelled."""
    meetings = [o for o in listing.upcoming() if not o.is_cancelled]
    return {"meetings": meetings[:UPCOMING_ON_FRONT_PAGE]}


def organised_section(app: Flask, user_id: int) -> dict | None:
    """For the contact person's profile: the meetings they organise."""
    items = []
    for o in listing.events_organised_by(user_id):
        label = f"{o.title}, {formatting.occurrence_when(o)}"
        items.append((label, formatting.occurrence_url(o)))
    return {"title": "Møder, personen holder", "items": items} if items else None


def personal_data(app: Flask, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """For the personal-data export: the person's registrations and the meetings they
    organise (a meeting's address is ``/kalender/<id>``)."""
    registrations = db.session.execute(
        sa.select(Registration, Event)
        .join(Event, Registration.event_id == Event.id)
        .where(Registration.user_id == user_id)
        .order_by(Event.starts_at, Registration.occurrence)
    ).all()
    organised = db.session.scalars(
        sa.select(Event).where(Event.organiser_id == user_id).order_by(Event.starts_at)
    )
    return {
        "tilmeldinger": [
            {
                "møde": event.title,
                "dag": registration.occurrence or local(event.starts_at).date().isoformat(),
                "status": "venteliste" if registration.status == WAITLISTED else "tilmeldt",
                "forvaltning": registration.administration,
                "enhed": registration.unit,
                "tilmeldt": registration.created_at.isoformat(),
                "adresse": f"/kalender/{event.id}",
            }
            for registration, event in registrations
        ],
        "møder_som_arrangør": [
            {
                "møde": event.title,
                "start": event.starts_at.isoformat(),
                "gentages": bool(event.rrule),
                "status": STATUSES[event.status],
                "adresse": f"/kalender/{event.id}",
            }
            for event in organised
        ],
    }
