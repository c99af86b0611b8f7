"""What changed: recent revisions of published guides, procedures and the glossary, as a page
(``/aendringer``) and an Atom feed (``/aendringer.atom``) that caseworkers can follow."""

from __future__ import annotations

import sqlalchemy as sa
from feedgen.feed import FeedGenerator
from flask import url_for
from sqlalchemy.orm import contains_eager

from portal.db import utcnow
from portal.extensions import db
from portal.kb.models import Page, PageRevision
from portal.kb.services import page_url

FEED_ID = "tag:bif-sof-portalen,2026:aendringer"
# A review or a withdrawal changes nothing a reader can read; the rest does.
SHOWN = ("sync", "edit", "create", "restore", "publish")


def recent(limit: int = 50) -> list[PageRevision]:
    return list(
        db.session.scalars(
            sa.select(PageRevision)
            .join(PageRevision.page)
            .options(contains_eager(PageRevision.page))
            .where(Page.published.is_(True), PageRevision.action.in_(SHOWN))
            .order_by(PageRevision.created_at.desc(), PageRevision.id.desc())
            .limit(limit)
        )
    )


def diff_url(revision: PageRevision, external: bool = False) -> str:
    section = "sagsgange" if revision.page.kind == "procedure" else "vejviser"
    return url_for(
        "kb.compare",
        section=section,
        slug=revision.page.slug,
        fra=max(revision.number - 1, 1),
        til=revision.number,
        _external=external,
    )


def atom(revisions: list[PageRevision]) -> bytes:
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title("Ændringer i vejviser og sagsgange – BIF-SOF Portalen")
    fg.author({"name": "BIF-SOF specialenheden"})
    fg.language("da")
    fg.link(href=url_for("kb.changes", _external=True), rel="alternate")
    fg.link(href=url_for("kb.changes_feed", _external=True), rel="self")
    fg.updated(max((r.created_at for r in revisions), default=utcnow()))
    for revision in revisions:
        entry = fg.add_entry(order="append")
        entry.id(f"{FEED_ID}/{revision.page_id}/{revision.number}")
        entry.title(f"{revision.page.title}: {revision.action_label.lower()}")
        # The change itself; a page's first version links to the page.
        first = url_for("core.index", _external=True).rstrip("/") + page_url(revision.page)
        entry.link(href=diff_url(revision, external=True) if revision.number > 1 else first)
        entry.updated(revision.created_at)
        entry.author({"name": revision.author_name})
        entry.summary(revision.note or revision.action_label)
    return fg.atom_str(pretty=True)
