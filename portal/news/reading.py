"""Reading news: what is public (by status and time alone), lists, pins, the front page, what
a contact person should pass on, and the editors' lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal.administration import chosen_filter, one_of
from portal.db import utcnow
from portal.errors import NotFound
from portal.extensions import db
from portal.news.models import NewsItem, NewsPassedOn
from portal.timeutil import local_today

PER_PAGE = 10


def _public(now: datetime | None = None):
    return sa.and_(NewsItem.status == "published", NewsItem.published_at <= (now or utcnow()))


def _newest(query):
    return query.order_by(NewsItem.published_at.desc(), NewsItem.id.desc())


def get_item(item_id: int) -> NewsItem:
    """:raises NotFound: if there is no such item (editors: any state)."""
    item = db.session.get(NewsItem, item_id)
    if item is None:
        raise NotFound("Nyheden findes ikke.")
    return item


def get_public(slug: str, now: datetime | None = None) -> NewsItem:
    """:raises NotFound: unless the item is published and its time has come."""
    item = db.session.scalar(sa.select(NewsItem).where(NewsItem.slug == slug, _public(now)))
    if item is None:
        raise NotFound("Nyheden findes ikke, eller den er ikke udgivet.")
    return item


@dataclass
class NewsPage:
    items: list[NewsItem]
    page: int
    pages: int
    total: int


def public_items(
    administration: str | None = None,
    page: int = 1,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
) -> NewsPage:
    query = sa.select(NewsItem).where(_public(now))
    chosen = chosen_filter(administration)
    if chosen:
        query = query.where(NewsItem.administration.in_(one_of(chosen)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(_newest(query).limit(per_page).offset((page - 1) * per_page)))
    return NewsPage(items, page, pages, total)


def latest(limit: int = 20, now: datetime | None = None) -> list[NewsItem]:
    return list(db.session.scalars(_newest(sa.select(NewsItem).where(_public(now))).limit(limit)))


def pinned(now: datetime | None = None) -> list[NewsItem]:
    """Public items pinned to the front page until today or later."""
    query = sa.select(NewsItem).where(
        _public(now),
        NewsItem.pinned_until.is_not(None),
        NewsItem.pinned_until >= local_today(now),
    )
    return list(db.session.scalars(_newest(query)))


def front_page(limit: int = 5, now: datetime | None = None) -> tuple[list, list]:
    """(pinned, latest not pinned)."""
    pins = pinned(now)
    ids = {i.id for i in pins}
    rest = [i for i in latest(limit + len(pins), now) if i.id not in ids][:limit]
    return pins, rest


def to_pass_on(user, now: datetime | None = None) -> list[tuple[NewsItem, bool]]:
    """Public items marked for passing on, with whether ``user`` has passed each on; the ones
    not yet passed on first."""
    done = set(
        db.session.scalars(sa.select(NewsPassedOn.news_id).where(NewsPassedOn.user_id == user.id))
    )
    items = db.session.scalars(
        _newest(sa.select(NewsItem).where(_public(now), NewsItem.pass_on.is_(True)))
    )
    rows = [(item, item.id in done) for item in items]
    return sorted(rows, key=lambda row: row[1])


def drafts() -> list[NewsItem]:
    query = sa.select(NewsItem).where(NewsItem.status == "draft")
    return list(db.session.scalars(query.order_by(NewsItem.updated_at.desc())))


def scheduled(now: datetime | None = None) -> list[NewsItem]:
    query = sa.select(NewsItem).where(
        NewsItem.status == "published", NewsItem.published_at > (now or utcnow())
    )
    return list(db.session.scalars(query.order_by(NewsItem.published_at)))


def all_items() -> list[NewsItem]:
    query = sa.select(NewsItem).order_by(
        NewsItem.published_at.desc().nulls_first(), NewsItem.updated_at.desc()
    )
    return list(db.session.scalars(query))
