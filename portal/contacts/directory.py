"""The directory of contact persons: its filters, the list in Danish alphabetical order, and
the values the filters offer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import search
from portal.administration import chosen_filter
from portal.auth.models import User
from portal.contacts import search as contact_search
from portal.contacts.models import ContactArea, ContactProfile
from portal.extensions import db
from portal.text import danish_sort_key

MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 5


@dataclass
class Filters:
    administration: str | None = None
    centre: str | None = None
    team: str | None = None
    area: str | None = None  # an area's slug
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """The filters in a URL's query (the Danish names of ``as_args``)."""
        return cls(
            administration=chosen_filter(args.get("forvaltning")),
            centre=args.get("center") or None,
            team=args.get("team") or None,
            area=args.get("omraade") or None,
            q=(args.get("q") or "")[:MAX_QUERY_LENGTH],
        )

    def as_args(self) -> dict[str, str]:
        return {
            k: v
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


def _words_match(words: list[str]) -> sa.ColumnElement[bool]:
    """Each word in the name, title, unit or an area (the database's own substring search)."""
    return sa.and_(
        *(
            sa.or_(
                User.name.icontains(word, autoescape=True),  # "%" and "_" match only themselves
                ContactProfile.job_title.icontains(word, autoescape=True),
                ContactProfile.centre.icontains(word, autoescape=True),
                ContactProfile.team.icontains(word, autoescape=True),
                ContactProfile.areas.any(ContactArea.name.icontains(word, autoescape=True)),
            )
            for word in words
        )
    )


def _ranked_by_search(q: str) -> dict[int, int] | None:
    """User id -> rank of the contact persons global search finds for ``q`` (the same Danish
    analysis, glossary synonyms and spelling tolerance as /soeg); None if the index cannot
    answer now."""
    keys = search.matching_keys(q, contact_search.SOURCE.name)
    return None if keys is None else {int(key): rank for rank, key in enumerate(keys)}


def listing(filters: Filters) -> list[ContactProfile]:
    """Active contact persons matching every filter, in Danish alphabetical order; with a
    query, those global search finds come first in its order, then those whose name, title,
    unit or areas contain every word."""
    query = (
        sa.select(ContactProfile)
        .join(User)
        .where(User.active.is_(True))
        .options(selectinload(ContactProfile.areas))  # one query for every card's areas
    )
    if chosen_filter(filters.administration):
        query = query.where(ContactProfile.administration == filters.administration)
    if filters.centre:
        query = query.where(ContactProfile.centre == filters.centre)
    if filters.team:
        query = query.where(ContactProfile.team == filters.team)
    if filters.area:
        query = query.where(ContactProfile.areas.any(ContactArea.slug == filters.area))
    ranks: dict[int, int] = {}
    if filters.q.split():
        ranks = _ranked_by_search(filters.q) or {}
        matches = _words_match(filters.q.split()[:MAX_QUERY_WORDS])
        query = query.where(sa.or_(matches, User.id.in_(ranks)) if ranks else matches)
    people = sorted(db.session.scalars(query).unique(), key=lambda p: danish_sort_key(p.name))
    return sorted(people, key=lambda p: ranks.get(p.user_id, len(ranks)))  # stable


@dataclass(frozen=True)
class Choices:
    """The values the directory's filters offer, from active profiles."""

    centres: list[str]
    teams: list[str]
    areas: list[tuple[str, str]]  # (slug, name)


def choices() -> Choices:
    centres = db.session.scalars(
        sa.select(ContactProfile.centre).where(ContactProfile.id.in_(_active())).distinct()
    )
    teams = db.session.scalars(
        sa.select(ContactProfile.team).where(ContactProfile.id.in_(_active())).distinct()
    )
    areas = db.session.execute(
        sa.select(ContactArea.slug, ContactArea.name)
        .where(ContactArea.profile_id.in_(_active()))
        .distinct()
    ).all()
    return Choices(
        centres=sorted((c for c in centres if c), key=danish_sort_key),
        teams=sorted((t for t in teams if t), key=danish_sort_key),
        areas=sorted({(s, n) for s, n in areas}, key=lambda a: danish_sort_key(a[1])),
    )
