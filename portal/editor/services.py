"""The editors' area: front page shortcuts, visit counts and what needs attention.
Functions flush; the caller commits."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from portal import audit
from portal.editor.models import PageVisit, Shortcut
from portal.errors import FieldErrors, NotFound
from portal.extensions import db
from portal.kb.models import Page
from portal.kb.services import review_due
from portal.routing import MAX_ID
from portal.text import danish_sort_key
from portal.timeutil import local_today

SHORTCUT_LIMIT = 6
VISIT_WINDOW_DAYS = 90


def most_visited(limit: int = SHORTCUT_LIMIT, today: date | None = None) -> list[Page]:
    since = (today or local_today()) - timedelta(days=VISIT_WINDOW_DAYS)
    total = sa.func.sum(PageVisit.count)
    rows = db.session.execute(
        sa.select(Page, total.label("n"))
        .join(PageVisit, sa.and_(PageVisit.kind == Page.kind, PageVisit.slug == Page.slug))
        .where(PageVisit.day >= since, Page.published.is_(True))
        .group_by(Page.id)
        .order_by(sa.desc("n"), Page.title)
        .limit(limit)
    ).all()
    return [row[0] for row in rows]


def shortcuts() -> list[Shortcut]:
    query = sa.select(Shortcut).order_by(Shortcut.position, Shortcut.id)
    return [s for s in db.session.scalars(query) if s.page.published]


def front_shortcuts(limit: int = SHORTCUT_LIMIT) -> tuple[list[Page], bool]:
    """The editors' choice, or else the most visited pages; and whether they were chosen."""
    chosen = [s.page for s in shortcuts()][:limit]
    if chosen:
        return chosen, True
    return most_visited(limit), False


def add_shortcut(page_id: int | None, actor) -> Shortcut:
    """:raises FieldErrors: if the page is unknown, already chosen, or the list is full."""

    def refuse(message: str) -> FieldErrors:
        return FieldErrors({"page": message}, message)

    page = db.session.get(Page, page_id) if page_id and 0 < page_id <= MAX_ID else None
    if page is None or not page.published:
        raise refuse("Vælg en vejviser eller sagsgang.")
    existing = db.session.scalars(sa.select(Shortcut)).all()
    if any(s.page_id == page_id for s in existing):
        raise refuse("Siden er allerede en genvej.")
    if len(existing) >= SHORTCUT_LIMIT:
        raise refuse(f"Der kan højst være {SHORTCUT_LIMIT} genveje. Fjern en først.")
    position = max((s.position for s in existing), default=0) + 1
    shortcut = Shortcut(page_id=page_id, position=position)
    db.session.add(shortcut)
    db.session.flush()
    audit.record(actor, "create", "shortcut", shortcut.id, "page", None, page.slug)
    return shortcut


def remove_shortcut(shortcut_id: int, actor) -> None:
    shortcut = db.session.get(Shortcut, shortcut_id)
    if shortcut is None:
        raise NotFound("Genvejen findes ikke.")
    slug = shortcut.page.slug
    db.session.delete(shortcut)
    db.session.flush()
    audit.record(actor, "delete", "shortcut", shortcut_id, "page", slug, None)


def page_choices() -> list[Page]:
    chosen = sa.select(Shortcut.page_id)
    query = sa.select(Page).where(Page.published.is_(True), Page.id.not_in(chosen))
    return sorted(db.session.scalars(query), key=lambda p: (p.kind, danish_sort_key(p.title)))


def overdue_pages(owner: str | None = None, today: date | None = None) -> list[Page]:
    """Published pages past their review date (each page's own interval, or
    REVIEW_AFTER_DAYS), ``owner``'s pages first, then the oldest review first."""
    today = today or local_today()
    pages = db.session.scalars(sa.select(Page).where(Page.published.is_(True)))
    due = [p for p in pages if review_due(p) < today]
    return sorted(due, key=lambda p: (p.owner != owner, p.reviewed, p.title))
