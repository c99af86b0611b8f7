"""The editors' work on the lists: add, rename and merge centres and teams, approve or reject
a proposed team, and merge two "Kan hjælpe med" areas. Functions flush; the request boundary
commits.

Concurrency. A rename changes only the centre's or team's own row (versioned: of two editors,
one wins), never a profile, so it cannot undo a profile save made at the same time. A merge or
a rejection changes profiles, and does it through ``profiles.update_profile``: each profile's
version is raised and its UPDATE expects the version it was read at. A profile saved while the
merge runs therefore makes the merge fail as a whole (nothing is half moved; the editor is asked
to try again), and a save of a profile that the merge changed first is refused as a conflict
with the person's input kept. The entry that goes is locked first (``FOR UPDATE`` on
PostgreSQL) and a profile form's choice of it takes a key-share lock (``lists._lookup``), so a
person choosing it while it is merged away either ends up moved with the others or is told to
choose again, never left pointing at an entry that is gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.administration import FILTERS
from portal.contacts import lists, profiles
from portal.contacts.models import Centre, ContactArea, ContactProfile, Team, fold
from portal.cpr import contains_cpr
from portal.errors import Conflict, FieldErrors, check_version, one_save_wins
from portal.extensions import db

MERGE_RACE = "En af profilerne blev gemt, mens du lagde sammen. Intet er ændret. Prøv igen."


def _clean_name(name: str, limit: int) -> str:
    """:raises FieldErrors: under ``name``."""
    name = " ".join((name or "").split())
    if not name:
        raise FieldErrors({"name": "Skriv navnet."})
    if len(name) > limit:
        raise FieldErrors({"name": f"Må højst være {limit} tegn (du skrev {len(name)})."})
    if contains_cpr(name):
        raise FieldErrors({"name": "Må ikke indeholde noget, der ligner et CPR-nummer."})
    return name


def _taken(model: type[Centre] | type[Team], name: str, scope, entry=None) -> None:
    """:raises FieldErrors: if another entry in ``scope`` is written ``name`` already."""
    other = db.session.scalar(sa.select(model).where(model.key == fold(name), scope))
    if other is not None and other is not entry:
        raise FieldErrors({"name": f"«{other}» findes allerede. Læg de to sammen i stedet."})


@contextmanager
def _unique(model: type[Centre] | type[Team], name: str) -> Iterator[None]:
    """Another editor who adds the same name at the same moment (PostgreSQL) gets the
    message ``_taken`` gives, not an error page."""
    try:
        yield
        db.session.flush()
    except IntegrityError as exc:
        raise FieldErrors({"name": f"«{name}» findes allerede."}) from exc


# Centres


def ensure(administration: str, centre: str, team: str = "") -> tuple[Centre | None, Team | None]:
    """The named centre and team, added (approved) if missing: for scripts, demo data and
    tests, never for a form (a form chooses from the lists)."""
    if not centre:
        return None, None
    found = db.session.scalar(
        sa.select(Centre).where(Centre.administration == administration, Centre.key == fold(centre))
    ) or add_centre(centre, administration, actor=None)
    if not team:
        return found, None
    existing = next((t for t in found.teams if t.key == fold(team)), None)
    return found, existing or add_team(found, team, actor=None)


def add_centre(name: str, administration: str, actor) -> Centre:
    """:raises FieldErrors: if the name is empty, too long or taken."""
    if administration not in FILTERS:
        raise FieldErrors({"administration": "Vælg BIF eller SOF."})
    name = _clean_name(name, lists.CENTRE_LENGTH)
    _taken(Centre, name, Centre.administration == administration)
    centre = Centre(name=name, key=fold(name), administration=administration)
    with _unique(Centre, name):
        db.session.add(centre)
    audit.record(actor, "create", "contact_centre", centre.id, "name", None, name)
    return centre


def add_team(centre: Centre, name: str, actor) -> Team:
    """:raises FieldErrors: if the name is empty, too long or taken in the centre."""
    name = _clean_name(name, lists.TEAM_LENGTH)
    _taken(Team, name, Team.centre_id == centre.id)
    team = Team(name=name, key=fold(name), centre=centre, approved=True)
    with _unique(Team, name):
        db.session.add(team)
    audit.record(actor, "create", "contact_team", team.id, "name", None, name)
    return team


def rename(entry: Centre | Team, name: str, expected_version: int | None, actor) -> None:
    """Every profile shows the new name (their search documents follow, ``search.py``).

    :raises Conflict: if the entry was renamed or merged after ``expected_version``.
    :raises FieldErrors: if the name is empty, too long or another entry's.
    """
    noun = "Centret" if isinstance(entry, Centre) else "Teamet"
    check_version(entry, expected_version, noun)
    if isinstance(entry, Centre):
        name = _clean_name(name, lists.CENTRE_LENGTH)
        _taken(Centre, name, Centre.administration == entry.administration, entry)
    else:
        name = _clean_name(name, lists.TEAM_LENGTH)
        _taken(Team, name, Team.centre_id == entry.centre_id, entry)
    if name == entry.name:
        return
    old = entry.name
    with one_save_wins(noun), _unique(type(entry), name):
        entry.name, entry.key = name, fold(name)
    audit.record(actor, "rename", entry.__tablename__, entry.id, "name", old, name)


# Moving profiles


def _locked(entry: Centre | Team) -> None:
    """Hold the entry that goes, so nobody chooses it until the merge has ended."""
    model = type(entry)
    db.session.execute(sa.select(model.id).where(model.id == entry.id).with_for_update(of=model))


@contextmanager
def _all_or_nothing() -> Iterator[None]:
    try:
        with one_save_wins("Profilen"):
            yield
    except Conflict as exc:
        raise Conflict(MERGE_RACE) from exc


def _move(column, entry: Centre | Team, values: dict, actor) -> int:
    """Give every profile with ``entry`` the ``values`` (audited, versioned); how many."""
    people = db.session.scalars(sa.select(ContactProfile).where(column == entry.id)).all()
    fields = tuple(values)
    for person in people:
        profiles.update_profile(person, values, person.version, actor, fields)
    return len(people)


def merge_teams(gone: Team, kept: Team, actor) -> int:
    """Every profile of ``gone`` gets ``kept`` (and its centre); ``gone`` is removed. Returns
    how many profiles moved.

    :raises FieldErrors: under ``into`` if the two are one, or in different administrations.
    :raises Conflict: if a profile was saved meanwhile (nothing is changed).
    """
    if gone is kept:
        raise FieldErrors({"into": "Vælg et andet team end det, der skal lægges sammen."})
    if gone.centre.administration != kept.centre.administration:
        raise FieldErrors({"into": "Teams i hver sin forvaltning kan ikke lægges sammen."})
    with _all_or_nothing():
        _locked(gone)
        moved = _move(ContactProfile.team_id, gone, {"centre": kept.centre, "team": kept}, actor)
        kept.approved = True  # merging a proposal into a proposal approves the name kept
        audit.record(actor, "merge", "contact_team", kept.id, "name", gone.name, kept.name)
        db.session.flush()
        db.session.delete(gone)
    return moved


def merge_centres(gone: Centre, kept: Centre, actor) -> int:
    """Every team and profile of ``gone`` moves to ``kept`` (a team of the same name merges
    into ``kept``'s); ``gone`` is removed. Returns how many profiles moved.

    :raises FieldErrors: under ``into`` if the two are one, or in different administrations.
    :raises Conflict: if a profile was saved meanwhile (nothing is changed).
    """
    if gone is kept:
        raise FieldErrors({"into": "Vælg et andet center end det, der skal lægges sammen."})
    if gone.administration != kept.administration:
        raise FieldErrors({"into": "Centre i hver sin forvaltning kan ikke lægges sammen."})
    moved = 0
    with _all_or_nothing():
        _locked(gone)
        for team in list(gone.teams):
            twin = next((t for t in kept.teams if t.key == team.key), None)
            if twin is not None:
                moved += merge_teams(team, twin, actor)
            else:
                team.centre = kept
                moved += _move(ContactProfile.team_id, team, {"centre": kept, "team": team}, actor)
        moved += _move(ContactProfile.centre_id, gone, {"centre": kept}, actor)
        audit.record(actor, "merge", "contact_centre", kept.id, "name", gone.name, kept.name)
        db.session.flush()
        db.session.delete(gone)
    return moved


# Proposed teams


def approve(team: Team, expected_version: int | None, actor) -> None:
    """The team is shown in the directory and offered to everyone.

    :raises Conflict: if the team was changed after ``expected_version``.
    """
    check_version(team, expected_version, "Teamet")
    with one_save_wins("Teamet"):
        team.approved = True
    audit.record(actor, "approve", "contact_team", team.id, "name", None, team.name)


def reject(team: Team, actor) -> int:
    """The proposal goes; the people who chose it have no team (audited on each profile).

    :raises Conflict: if a profile was saved meanwhile (nothing is changed).
    """
    with _all_or_nothing():
        _locked(team)
        moved = _move(ContactProfile.team_id, team, {"team": None}, actor)
        audit.record(actor, "reject", "contact_team", team.id, "name", team.name, None)
        db.session.flush()
        db.session.delete(team)
    return moved


# Areas


def merge_areas(gone_slug: str, kept_slug: str, actor) -> int:
    """Every profile with the area ``gone_slug`` gets ``kept_slug``'s instead. Returns how many.

    :raises FieldErrors: under ``into`` if the two are one or an area is not in use.
    :raises Conflict: if a profile was saved meanwhile (nothing is changed).
    """
    names = dict(
        db.session.execute(
            sa.select(ContactArea.slug, sa.func.min(ContactArea.name))
            .where(ContactArea.slug.in_([gone_slug, kept_slug]))
            .group_by(ContactArea.slug)
        ).all()
    )
    if gone_slug == kept_slug or len(names) != 2:
        raise FieldErrors({"into": "Vælg to forskellige områder fra listen."})
    people = db.session.scalars(
        sa.select(ContactProfile).where(ContactProfile.areas.any(ContactArea.slug == gone_slug))
    ).all()
    with _all_or_nothing():
        for person in people:
            areas = [names[kept_slug] if a.slug == gone_slug else a.name for a in person.areas]
            profiles.update_profile(person, {"areas": areas}, person.version, actor, ("areas",))
        audit.record(
            actor, "merge", "contact_area", kept_slug, "name", names[gone_slug], names[kept_slug]
        )
    return len(people)
