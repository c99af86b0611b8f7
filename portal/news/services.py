"""Writing, publishing and reading news. Functions flush and audit; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.administration import VALUES, chosen_filter, one_of
from portal.db import utcnow
from portal.errors import FieldErrors, NotFound, check_version
from portal.extensions import db
from portal.news.models import NewsItem, NewsPassedOn
from portal.text import contains_cpr, render, slugify
from portal.timeutil import local_today

PER_PAGE = 10
LIMITS = {"title": 200, "summary": 400, "body": 20_000}
NOUN = "Nyheden"  # for the version check's message


@dataclass
class NewsData:
    title: str
    summary: str = ""
    body: str = ""
    administration: str = "both"
    pass_on: bool = False
    pinned_until: date | None = None


def _clean(data: NewsData) -> NewsData:
    errors = {}
    title = " ".join(data.title.split())
    summary = " ".join(data.summary.split())
    body = data.body.strip()
    if not title:
        errors["title"] = "Skriv en overskrift."
    for name, value in (("title", title), ("summary", summary), ("body", body)):
        if len(value) > LIMITS[name]:
            errors[name] = f"Må højst være {LIMITS[name]} tegn (du skrev {len(value)})."
        elif contains_cpr(value):
            errors[name] = "Må ikke indeholde noget, der ligner et CPR-nummer."
    if data.administration not in VALUES:
        errors["administration"] = "Vælg BIF, SOF eller begge."
    if errors:
        raise FieldErrors(errors)
    return NewsData(
        title, summary, body, data.administration, bool(data.pass_on), data.pinned_until
    )


def _apply(item: NewsItem, data: NewsData) -> list[str]:
    changed = []
    values = {
        "title": data.title,
        "summary": data.summary,
        "body_source": data.body,
        "administration": data.administration,
        "pass_on": data.pass_on,
        "pinned_until": data.pinned_until,
    }
    for name, value in values.items():
        if getattr(item, name) != value:
            changed.append(name)
            setattr(item, name, value)
    if "body_source" in changed or not item.body_html:
        item.body_html = render(data.body).html
    return changed


def _flush(item: NewsItem) -> None:
    """Flush ``item``. An UPDATE whose ``WHERE version = :v`` (``version_id_col``) matched no row
    lost a race with another save: the Conflict of a stale form (no version is always stale)."""
    try:
        db.session.flush()
    except StaleDataError:
        check_version(item, None, NOUN)


def create(data: NewsData, actor) -> NewsItem:
    """A new draft.

    :raises FieldErrors: with a Danish message per field.
    """
    data = _clean(data)
    item = NewsItem(created_by_id=getattr(actor, "id", None))
    _apply(item, data)
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "create", "news", item.id, "title", None, item.title)
    return item


def update(
    item: NewsItem, data: NewsData, expected_version: int | None, actor, now: datetime | None = None
) -> list[str]:
    """Change the item; a visible item shows "opdateret" from now on.

    :raises Conflict: if someone saved the item after ``expected_version`` was loaded.
    :raises FieldErrors: with a Danish message per field.
    """
    check_version(item, expected_version, NOUN)
    data = _clean(data)
    now = now or utcnow()
    changed = _apply(item, data)
    if changed:
        item.updated_at = now
        if item.is_public(now):
            item.edited_at = now
        _flush(item)
        audit.record(actor, "update", "news", item.id, "fields", None, ", ".join(changed))
    return changed


def _unique_slug(title: str, item_id: int) -> str:
    base = slugify(title)
    slug, n = base, 2
    while db.session.scalar(
        sa.select(NewsItem.id).where(NewsItem.slug == slug, NewsItem.id != item_id)
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


def publish(item: NewsItem, actor, at: datetime | None = None, now: datetime | None = None) -> None:
    """Publish now, or at ``at`` (then it becomes visible by time alone). The slug is made from
    the title at the first publication and never changes after that."""
    now = now or utcnow()
    if item.is_public(now):
        return  # already out: its publication time stays
    when = at if at is not None and at > now else now
    if item.slug is None:
        item.slug = _unique_slug(item.title, item.id)
    item.status = "published"
    item.published_at = when
    item.announced = when <= now
    item.edited_at = None
    item.updated_at = now
    _flush(item)
    action = "publish" if item.announced else "schedule"
    audit.record(actor, action, "news", item.id, "published_at", None, when.isoformat())


def unpublish(item: NewsItem, actor, now: datetime | None = None) -> None:
    if item.status != "published":
        return
    item.status = "draft"
    item.announced = False
    item.updated_at = now or utcnow()
    _flush(item)
    audit.record(actor, "unpublish", "news", item.id)


def announce_due(now: datetime | None = None) -> int:
    """Mark scheduled items whose time has come as announced (a change the search outbox
    sees). Returns how many. Items are visible by their time alone; this tells search."""
    now = now or utcnow()
    due = list(
        db.session.scalars(
            sa.select(NewsItem).where(
                NewsItem.announced.is_(False),
                NewsItem.status == "published",
                NewsItem.published_at <= now,
            )
        )
    )
    for item in due:
        item.announced = True
        audit.record(None, "announce", "news", item.id)
    if due:
        db.session.flush()
    return len(due)


def announce_due_job(app) -> str | None:
    """``portal jobs run``: announce the scheduled items that have fallen due."""
    count = announce_due()
    return f"Nyheder: {count} planlagte nyheder er nu synlige i søgningen." if count else None


def mark_passed_on(item: NewsItem, user) -> bool:
    """A contact person has passed the item on. Returns False if they already had."""
    if not item.pass_on or not item.is_public():
        raise NotFound("Nyheden er ikke til videreformidling.")
    if db.session.get(NewsPassedOn, (item.id, user.id)) is not None:
        return False
    db.session.add(NewsPassedOn(news_id=item.id, user_id=user.id))
    db.session.flush()
    audit.record(user, "passed_on", "news", item.id)
    return True


# Reading


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
