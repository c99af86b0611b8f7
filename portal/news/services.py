"""Writing, publishing and reading news. Functions flush and audit; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from portal import audit
from portal.administration import VALUES
from portal.cpr import contains_cpr
from portal.db import utcnow
from portal.errors import FieldErrors, NotFound, check_version, one_save_wins
from portal.extensions import db
from portal.news.models import NewsItem, NewsPassedOn
from portal.text import render, slugify

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
        with one_save_wins(NOUN):
            item.updated_at = now
            if item.is_public(now):
                item.edited_at = now
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
    with one_save_wins(NOUN):
        item.status = "published"
        item.published_at = when
        item.announced = when <= now
        item.edited_at = None
        item.updated_at = now
    action = "publish" if item.announced else "schedule"
    audit.record(actor, action, "news", item.id, "published_at", None, when.isoformat())


def unpublish(item: NewsItem, actor, now: datetime | None = None) -> None:
    if item.status != "published":
        return
    with one_save_wins(NOUN):
        item.status = "draft"
        item.announced = False
        item.updated_at = now or utcnow()
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
