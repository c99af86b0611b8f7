"""What the calendar contributes to other features' pages, through ``portal.signals``."""

from __future__ import annotations

from flask import Flask

from portal.calendar import formatting, listing

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
