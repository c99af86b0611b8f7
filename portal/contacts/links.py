"""The directory's people and units by name, for other features (a procedure step's contact
becomes a link to the person or the unit's list): answers ``signals.directory_links``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from portal.auth.models import User
from portal.contacts.models import Centre, ContactProfile, Team
from portal.extensions import db


def directory_links(sender, names: list[str] | None = None) -> dict[str, str]:
    """Active contact persons by their name, centres and approved teams by theirs (a person
    wins over a unit of the same name). ``names`` compare without regard to case."""
    wanted = None if names is None else {n.strip().casefold() for n in names if n.strip()}
    if wanted is not None and not wanted:
        return {}
    found: dict[str, str] = {}
    people = db.session.execute(
        sa.select(User.name, ContactProfile.id)
        .join(ContactProfile, ContactProfile.user_id == User.id)
        .where(User.active.is_(True))
    )
    for name, profile_id in people:
        if wanted is None or name.casefold() in wanted:
            found.setdefault(name, url_for("contacts.profile", profile_id=profile_id))
    teams = db.session.execute(
        sa.select(Team.name, Team.centre_id, Team.id).where(Team.approved.is_(True))
    )
    centres = db.session.execute(sa.select(Centre.name, Centre.id))
    units = [(name, f"?center={centre}") for name, centre in centres]
    units += [(name, f"?center={centre}&team={team}") for name, centre, team in teams]
    for name, query in units:
        if wanted is None or name.casefold() in wanted:
            found.setdefault(name, url_for("contacts.directory") + query)
    return found
