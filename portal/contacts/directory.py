"""The directory of contact persons: its filters, the list in Danish alphabetical order, and
the values the filters offer (each narrowed by the others: BIF's centres when BIF is chosen, a
centre's teams when the centre is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import search
from portal.administration import chosen_filter
from portal.auth.models import User
from portal.contacts import search as contact_search
from portal.contacts.models import Centre, ContactArea, ContactProfile, Team
from portal.extensions import db
from portal.text import danish_sort_key

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 5


def _id(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@dataclass
class Filters:
    administration: str | None = None
    centre: int | None = None  # a centre's id
    team: int | None = None  # an (approved) team's id
    area: str | None = None  # an area's slug
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """The filters in a URL's query (the Danish names of ``as_args``). A centre outside
        the chosen administration, or a team outside the chosen centre, is dropped: the
        other filter was changed after it was chosen."""
        chosen = cls(
            administration=chosen_filter(args.get("forvaltning")),
            centre=_id(args.get("center")),
            team=_id(args.get("team")),
            area=args.get("omraade") or None,
            q=(args.get("q") or "")[:MAX_QUERY_LENGTH],
        )
        return chosen.consistent()

    def consistent(self) -> Filters:
        centre = db.session.get(Centre, self.centre) if self.centre else None
        if centre is None or self.administration not in (None, centre.administration):
            centre = None
        team = db.session.get(Team, self.team) if self.team else None
        if team is None or not team.approved or (centre and team.centre_id != centre.id):
            team = None
        if team is not None and self.administration not in (None, team.centre.administration):
            team = None
        return replace(self, centre=centre.id if centre else None, team=team.id if team else None)

    def as_args(self) -> dict[str, str]:
        return {
            k: str(v)
            for k, v in {
                "forvaltning": self.administration,
                "center": self.centre,
                "team": self.team,
                "omraade": self.area,
                "q": self.q,
            }.items()
            if v
        }


def _active() -> sa.Select[int]:
    return sa.select(ContactProfile.id).join(User).where(User.active.is_(True))


def _narrowed(query, filters: Filters, *, by_unit: bool = True):
    """``query`` (over profiles) narrowed by the administration and, if ``by_unit``, the
    centre and team."""
    if chosen_filter(filters.administration):
        query = query.where(ContactProfile.administration == filters.administration)
    if by_unit and filters.centre:
        query = query.where(ContactProfile.centre_id == filters.centre)
    if by_unit and filters.team:
        query = query.where(ContactProfile.team_id == filters.team)
    return query


def _words_match(words: list[str]) -> sa.ColumnElement[bool]:
    """Each word in the name, title, unit or an area (the database's own substring search)."""
    return sa.and_(
        *(
            sa.or_(
                User.name.icontains(word, autoescape=True),  # "%" and "_" match only themselves
                ContactProfile.job_title.icontains(word, autoescape=True),
                ContactProfile.centre.has(Centre.name.icontains(word, autoescape=True)),
                ContactProfile.team.has(
                    sa.and_(Team.approved.is_(True), Team.name.icontains(word, autoescape=True))
                ),
                ContactProfile.areas.any(ContactArea.name.icontains(word, autoescape=True)),
            )
            for word in words
        )
    )


def _found_by_search(q: str) -> tuple[set[int], set[int]]:
    """The user ids of the contact persons global search finds for ``q`` (the same Danish
    analysis, glossary synonyms and spelling tolerance as /soeg): those matching every word,
    and those only its broader search adds. Nothing if the index cannot answer now."""
    found = search.matching_keys(q, contact_search.SOURCE.name)
    strict, broader = found if found is not None else ([], [])
    return {int(k) for k in strict}, {int(k) for k in broader}


def _alphabetical(rows) -> list[int]:
    return [r.id for r in sorted(rows, key=lambda r: danish_sort_key(r.name))]


def ordered(filters: Filters) -> list[int]:
    """The profile ids of the active contact persons matching every filter, in Danish
    alphabetical order. A query finds whom global search finds, and whoever has every word in
    their name, title, unit or areas; those global search found only by its broader search
    (no one matched every word) come after the others. A phone number or an e-mail address
    finds whoever has it, and nobody else."""
    query = sa.select(ContactProfile.id, User.name).join(User).where(User.active.is_(True))
    query = _narrowed(query, filters)
    if filters.area:
        query = query.where(ContactProfile.areas.any(ContactArea.slug == filters.area))
    if not filters.q.split():
        return _alphabetical(db.session.execute(query).all())
    named = contact_search.naming(filters.q)
    if named is not None:  # a phone number or e-mail address: whoever has it, nobody else
        return _alphabetical(db.session.execute(query.where(named)).all())
    strict, broader = _found_by_search(filters.q)
    direct = sa.or_(
        _words_match(filters.q.split()[:MAX_QUERY_WORDS]), User.id.in_(sorted(strict))
    ).label("direct")
    rows = db.session.execute(
        query.add_columns(direct).where(sa.or_(direct, User.id.in_(sorted(broader))))
    ).all()
    return [r.id for r in sorted(rows, key=lambda r: (not r.direct, danish_sort_key(r.name)))]


def loaded(ids: list[int]) -> list[ContactProfile]:
    """The profiles with these ids, in this order: only the page shown is loaded."""
    query = (
        sa.select(ContactProfile)
        .where(ContactProfile.id.in_(ids))
        .options(selectinload(ContactProfile.areas))  # one query for every card's areas
    )
    found = {p.id: p for p in db.session.scalars(query)}
    return [found[i] for i in ids if i in found]


def listing(filters: Filters) -> list[ContactProfile]:
    """Every active contact person matching the filters, in order (``ordered``)."""
    return loaded(ordered(filters))


@dataclass(frozen=True)
class Choices:
    """The values the directory's filters offer: those of active profiles, within the other
    filters' choices."""

    centres: list[tuple[int, str]]  # (id, name)
    teams: list[tuple[int, str]]  # (id, name; with its centre if two teams share the name)
    areas: list[tuple[str, str]]  # (slug, name)


def choices(filters: Filters) -> Choices:
    people = _narrowed(_active(), filters, by_unit=False)
    centres = db.session.scalars(
        sa.select(Centre).where(
            Centre.id.in_(sa.select(ContactProfile.centre_id).where(ContactProfile.id.in_(people)))
        )
    )
    in_centre = (
        sa.select(ContactProfile.team_id)
        .where(ContactProfile.id.in_(people))
        .where(ContactProfile.centre_id == filters.centre if filters.centre else sa.true())
    )
    teams = db.session.scalars(
        sa.select(Team).where(Team.approved.is_(True), Team.id.in_(in_centre))
    ).all()
    areas = db.session.execute(
        sa.select(ContactArea.slug, sa.func.min(ContactArea.name))
        .where(ContactArea.profile_id.in_(_narrowed(_active(), filters)))
        .group_by(ContactArea.slug)
    ).all()
    same_name = {t.key for t in teams if sum(o.key == t.key for o in teams) > 1}
    return Choices(
        centres=sorted(((c.id, c.name) for c in centres), key=lambda c: danish_sort_key(c[1])),
        teams=sorted(
            (
                (t.id, f"{t.name} ({t.centre.name})" if t.key in same_name else t.name)
                for t in teams
            ),
            key=lambda t: danish_sort_key(t[1]),
        ),
        areas=sorted(((s, n) for s, n in areas), key=lambda a: danish_sort_key(a[1])),
    )
