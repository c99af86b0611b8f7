"""Reading the editors' lists (centres, teams) and resolving what a profile chooses from them:
a centre and a team from the lists, or a proposed new team; and the "Kan hjælpe med" areas
written one way (case, spacing and glossary synonyms). Changing the lists is in ``units``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from portal import audit, search
from portal.administration import FILTERS
from portal.contacts.models import Centre, ContactArea, ContactProfile, Team, fold
from portal.cpr import contains_cpr
from portal.db import utcnow
from portal.errors import FieldErrors
from portal.extensions import db
from portal.security import Role, has_role
from portal.text import danish_sort_key, slugify

CENTRE_LENGTH = 160
TEAM_LENGTH = 120
PENDING = "afventer godkendelse"


@dataclass(frozen=True)
class NewTeam:
    """A team the person proposes, by name, within the centre they chose."""

    name: str


# Reading the lists


def centres(administration: str | None = None) -> list[Centre]:
    """The centres (of one administration), BIF's first, each in Danish order."""
    query = sa.select(Centre)
    if administration:
        query = query.where(Centre.administration == administration)
    found = db.session.scalars(query)
    return sorted(found, key=lambda c: (c.administration, danish_sort_key(c.name)))


def teams(centre_ids: list[int] | None = None, approved: bool | None = True) -> list[Team]:
    """Teams (of some centres; approved, proposed or both), by centre, in Danish order."""
    query = sa.select(Team).join(Team.centre)
    if centre_ids is not None:
        query = query.where(Team.centre_id.in_(centre_ids))
    if approved is not None:
        query = query.where(Team.approved.is_(approved))
    return sorted(db.session.scalars(query), key=_team_order)


def _team_order(team: Team) -> tuple[str, str, str]:
    return (
        team.centre.administration,
        danish_sort_key(team.centre.name),
        danish_sort_key(team.name),
    )


def profile_counts() -> dict[str, dict[int, int]]:
    """How many profiles (active or not) each centre and each team has."""
    counts: dict[str, dict[int, int]] = {}
    for name, column in (("centres", ContactProfile.centre_id), ("teams", ContactProfile.team_id)):
        rows = db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all()
        counts[name] = {entry: n for entry, n in rows if entry is not None}
    return counts


def pending_teams() -> list[Team]:
    return teams(approved=False)


def team_label(team: Team) -> str:
    return team.name if team.approved else f"{team.name} ({PENDING})"


# What a profile chooses


def _lookup(model: type[Centre] | type[Team], value: object, where) -> Any:
    """An entry given as itself, its id, or (from code: demo data, tests) its name, looked up
    ``where`` those conditions hold."""
    if value is None or isinstance(value, model):
        return value
    text = " ".join(str(value).split())
    if not text:
        return None
    # A key-share lock (PostgreSQL): an editor's merge that removes the entry waits for this
    # save, or this lookup waits for the merge and finds the entry gone (see ``units``).
    query = sa.select(model).with_for_update(read=True, key_share=True, of=model)
    if text.isascii() and text.isdigit():
        found = len(text) < 10 and db.session.scalar(query.where(model.id == int(text)))
        return found or None
    matches = db.session.scalars(query.where(model.key == fold(text), *where)).all()
    return matches[0] if len(matches) == 1 else None


def fits(centre: Centre | None, administration: str | None) -> str | None:
    """The message if ``centre`` belongs to the other administration."""
    if centre is None or administration not in FILTERS or centre.administration == administration:
        return None
    return (
        f"«{centre.name}» hører til {centre.administration}, men personen er i "
        f"{administration}. Vælg et center i {administration}."
    )


def _proposal(proposal: NewTeam, centre: Centre | None) -> tuple[Team | None, str | None]:
    name = " ".join(proposal.name.split())
    if centre is None:
        return None, "Vælg det center, det nye team hører til."
    if not name:
        return None, "Skriv navnet på det nye team."
    if len(name) > TEAM_LENGTH:
        return None, f"Et teamnavn må højst være {TEAM_LENGTH} tegn (du skrev {len(name)})."
    if contains_cpr(name):
        return None, "Må ikke indeholde noget, der ligner et CPR-nummer."
    existing = _lookup(Team, name, [Team.centre_id == centre.id])
    # By the centre's id, not ``centre=``: that would put the team in ``centre.teams`` (and so
    # in the next flush) even when it is only looked at, as confirming does (``settle`` adds
    # it when a save records it).
    return existing or Team(name=name, key=fold(name), centre_id=centre.id, approved=False), None


def clean_placement(
    given: Mapping[str, Any], fields: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The centre and team that ``given`` chooses (entries, ids, names or a ``NewTeam``) among
    ``fields``, and a Danish message per field that cannot be chosen."""
    data = {n: given[n] for n in ("administration", "centre", "team") if n in fields and n in given}
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    administration = data.get("administration")
    where = [Centre.administration == administration] if administration in FILTERS else []
    centre = _lookup(Centre, data.get("centre"), where) if "centre" in data else None
    if "centre" in data:
        if centre is None and str(data["centre"] or "").strip():
            errors["centre"] = "Vælg et center fra listen."
        elif message := fits(centre, administration):
            errors["centre"] = message
        cleaned["centre"] = centre
    if "team" not in data:
        return cleaned, errors
    raw = data["team"]
    if isinstance(raw, NewTeam):
        team, message = _proposal(raw, centre)
    else:
        by_centre = [Team.centre_id == centre.id] if centre is not None else []
        team, message = _lookup(Team, raw, by_centre), None
        if team is None and str(raw or "").strip():
            message = "Vælg et team fra listen, eller foreslå et nyt."
        elif team is not None and "centre" not in data:
            cleaned["centre"] = centre = team.centre
        elif team is not None and team.centre is not centre:
            message = (
                f"«{team.name}» hører til «{team.centre.name}». Vælg et team under det "
                "valgte center, eller vælg intet team."
            )
    if message:
        errors["team"] = message
    cleaned["team"] = team
    return cleaned, errors


def settle(profile: ContactProfile, cleaned: Mapping[str, Any], actor) -> None:
    """Before a save: the chosen centre fits the person's administration, and a proposed team
    is recorded (an editor's proposal is approved at once).

    :raises FieldErrors: if the centre belongs to the other administration.
    """
    administration = cleaned.get("administration", profile.administration)
    centre = cleaned.get("centre", profile.centre)
    if message := fits(centre, administration):
        raise FieldErrors({"centre": message})
    team = cleaned.get("team")
    if isinstance(team, Team) and team.id is None:
        team.approved = has_role(actor, Role.EDITOR)
        team.proposed_by, team.proposed_at = actor, utcnow()
        db.session.add(team)
        db.session.flush()
        action = "create" if team.approved else "propose"
        audit.record(actor, action, "contact_team", team.id, "name", None, team.name)


def withdraw_if_unchosen(team: Team | None, actor) -> None:
    """After a save that left ``team``: a proposal that no profile has any longer is withdrawn
    (its proposer proposed another, chose an approved team or none), so that the editors are
    not asked about it. Locked first (PostgreSQL): a save that chooses it meanwhile either
    commits first, and the proposal stays, or finds it gone (``_lookup``'s key-share lock)."""
    if team is None or team.approved:
        return
    db.session.flush()
    held = db.session.scalar(
        sa.select(Team)
        .where(Team.id == team.id)
        .with_for_update(of=Team)
        .execution_options(populate_existing=True)
    )
    chosen = sa.exists().where(ContactProfile.team_id == team.id)
    if held is None or held.approved or db.session.scalar(sa.select(chosen)):
        return
    audit.record(actor, "withdraw", "contact_team", held.id, "name", held.name, None)
    db.session.delete(held)


# The areas a person can help with


def _common_noun(name: str) -> str:
    """'Misbrug' -> 'misbrug', 'Grøn linie' -> 'grøn linie'; 'SKP', 'Jobcenter København'
    stay as they are (an abbreviation or a name)."""
    if name[:1].isupper() and not any(ch.isupper() for ch in name[1:]):
        return name[:1].lower() + name[1:]
    return name


def _glossary_terms() -> dict[str, str]:
    """Every way of writing a glossary term (folded) -> the term."""
    terms: dict[str, str] = {}
    for group in search.synonym_groups():
        for word in group:
            terms.setdefault(fold(word), group[0])
    return terms


def normalise_areas(names: list[str]) -> list[str]:
    """The areas written one way: spacing collapsed, a glossary synonym as its term, and an
    area that someone already has (the same slug: "misbrug", "Misbrug") as it is written
    there; a new area as a common noun. Duplicates go."""
    terms = _glossary_terms() if names else {}
    wanted = [terms.get(fold(n), " ".join(n.split())) for n in names]
    slugs = [slugify(n) for n in wanted]
    existing = dict(
        db.session.execute(
            sa.select(ContactArea.slug, sa.func.min(ContactArea.name))
            .where(ContactArea.slug.in_(slugs))
            .group_by(ContactArea.slug)
        ).all()
    )
    result: dict[str, str] = {}
    for name, slug in zip(wanted, slugs, strict=True):
        result.setdefault(slug, existing.get(slug) or _common_noun(name))
    return list(result.values())


def areas_in_use() -> list[tuple[str, str, int]]:
    """(slug, name, number of profiles) of every area, in Danish order."""
    rows = db.session.execute(
        sa.select(ContactArea.slug, sa.func.min(ContactArea.name), sa.func.count()).group_by(
            ContactArea.slug
        )
    ).all()
    return sorted(((s, n, c) for s, n, c in rows), key=lambda r: danish_sort_key(r[1]))
