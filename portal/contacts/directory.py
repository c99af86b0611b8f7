"""The directory of contact persons: its filters, the list in Danish alphabetical order, and
the values the filters offer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.administration import chosen_filter
from portal.auth.models import User
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


def listing(filters: Filters) -> list[ContactProfile]:
    """Active contact persons matching every filter, in Danish alphabetical order."""
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
    for word in filters.q.split()[:MAX_QUERY_WORDS]:
        # autoescape: "%" and "_" in the word match only themselves
        query = query.where(
            sa.or_(
                User.name.icontains(word, autoescape=True),
                ContactProfile.job_title.icontains(word, autoescape=True),
                ContactProfile.centre.icontains(word, autoescape=True),
                ContactProfile.team.icontains(word, autoescape=True),
                ContactProfile.areas.any(ContactArea.name.icontains(word, autoescape=True)),
            )
        )
    return sorted(db.session.scalars(query).unique(), key=lambda p: danish_sort_key(p.name))


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
