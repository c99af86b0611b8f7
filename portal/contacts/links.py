"""The directory's people and units by name, for other features (a procedure step's contact
becomes a link to the person or the unit's list): answers ``signals.directory_links``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from portal.auth.models import User
from portal.contacts.models import Centre, ContactProfile, Team, fold
from portal.extensions import db


def directory_links(sender, names: list[str] | None = None) -> dict[str, str]:
    """Active contact persons by their name, centres and approved teams by theirs (a person
    wins over a unit of the same name). ``names`` compare without regard to case."""
    wanted = None if names is None else {n.strip().casefold() for n in names if n.strip()}
    if wanted is not None and not wanted:
        return {}
    found: dict[str, str] = {}
    people_query = (
        sa.select(User.name, ContactProfile.id)
        .join(ContactProfile, ContactProfile.user_id == User.id)
        .where(User.active.is_(True))
    )
    teams_query = sa.select(Team.name, Team.centre_id, Team.id).where(Team.approved.is_(True))
    centres_query = sa.select(Centre.name, Centre.id)
    if wanted is not None:  # a procedure page asks for a few names: only those are read
        typed = {n.strip() for n in names or []}  # SQLite's lower() knows only ASCII
        people_query = people_query.where(
            sa.or_(User.name.in_(typed), sa.func.lower(User.name).in_(wanted))
        )
        keys = {fold(name) for name in wanted}
        teams_query = teams_query.where(Team.key.in_(keys))
        centres_query = centres_query.where(Centre.key.in_(keys))
    people = db.session.execute(people_query)
    for name, profile_id in people:
        if wanted is None or name.casefold() in wanted:
            found.setdefault(name, url_for("contacts.profile", profile_id=profile_id))
    teams = db.session.execute(teams_query)
    centres = db.session.execute(centres_query)
    units = [(name, f"?center={centre}") for name, centre in centres]
    units += [(name, f"?center={centre}&team={team}") for name, centre, team in teams]
    for name, query in units:
        if wanted is None or name.casefold() in wanted:
            found.setdefault(name, url_for("contacts.directory") + query)
    return found
