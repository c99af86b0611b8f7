"""The participant list of an occurrence, for its organiser and the editors: on a page and as
CSV for Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from portal.calendar.models import REGISTERED, WAITLISTED, Event, Registration
from portal.calendar.occurrences import Occurrence
from portal.calendar.registrations import ADMINISTRATIONS, OTHER, of_occurrence
from portal.extensions import db
from portal.security import Role, has_role


def can_see_participants(user, event: Event) -> bool:
    """Editors, and the contact person who organises the event."""
    if has_role(user, Role.EDITOR):
        return True
    return bool(getattr(user, "is_authenticated", False)) and event.organiser_id == user.id


def participants(occurrence: Occurrence) -> list[Registration]:
    """Those with a seat first, then the waitlist, each in the order they registered."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(of_occurrence(occurrence.event.id, occurrence.key))
            .order_by(
                (Registration.status == WAITLISTED).asc(),
                Registration.created_at,
                Registration.id,
            )
        )
    )


STATUS_LABELS = {REGISTERED: "Tilmeldt", WAITLISTED: "Venteliste"}


def _cell(value: str) -> str:
    # A spreadsheet would run a cell that starts like a formula: keep it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def participants_csv(occurrence: Occurrence, format_time: Callable[[datetime], str]) -> str:
    """The participants as CSV for Excel: semicolons, and a BOM so that æ, ø and å survive."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Navn", "E-mail", "Rolle", "Forvaltning", "Enhed", "Status", "Tilmeldt"])
    for r in participants(occurrence):
        row = [
            r.user.name,
            r.user.email,
            r.user.role_label,
            r.administration or ADMINISTRATIONS[OTHER],
            r.unit or "",
            STATUS_LABELS[r.status],
            format_time(r.created_at),
        ]
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + out.getvalue()
