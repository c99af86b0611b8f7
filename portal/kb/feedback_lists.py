"""What the editors see of reader feedback: per page, how much is open and the newest comments
(the page's owner first), and one page's open and handled items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from portal.errors import NotFound
from portal.extensions import db
from portal.kb.feedback import NEEDS_ATTENTION, PageFeedback
from portal.kb.models import Page
from portal.text import danish_sort_key

NEWEST_COMMENTS = 2  # per page, in the overview
HANDLED_SHOWN = 100  # on a page's list, newest first


@dataclass
class PageSummary:
    page: Page
    owned: bool  # the person looking is the page's owner
    open: int = 0  # needing attention: a "nej" or a comment, not yet handled
    open_no: int = 0
    handled: int = 0
    yes: int = 0  # every answer ever given, handled or not
    no: int = 0
    newest: datetime | None = None  # the newest open item's time
    comments: list[PageFeedback] = field(default_factory=list)


def owns(page: Page, user) -> bool:
    """Whether ``user`` is the page's owner. ``Page.owner`` is free text today (a unit or a
    person's name): the user owns the page when it names them, by name or e-mail."""
    owner = page.owner.strip().casefold()
    return bool(owner) and owner in {user.name.strip().casefold(), user.email.casefold()}


def _count(condition) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def summaries(user, only_open: bool = False) -> list[PageSummary]:
    """Every page with feedback (``only_open``: with feedback needing attention): the user's
    own pages first, then those with the newest open feedback, then by title."""
    rows = db.session.execute(
        sa.select(
            PageFeedback.page_id,
            _count(NEEDS_ATTENTION),
            _count(sa.and_(NEEDS_ATTENTION, PageFeedback.useful.is_(False))),
            _count(PageFeedback.handled_at.is_not(None)),
            _count(PageFeedback.useful.is_(True)),
            _count(PageFeedback.useful.is_(False)),
            sa.func.max(sa.case((NEEDS_ATTENTION, PageFeedback.answered_at), else_=None)),
        ).group_by(PageFeedback.page_id)
    ).all()
    if only_open:
        rows = [r for r in rows if r[1]]
    if not rows:
        return []
    pages = {
        p.id: p for p in db.session.scalars(sa.select(Page).where(Page.id.in_(r[0] for r in rows)))
    }
    found = {r[0]: PageSummary(pages[r[0]], owns(pages[r[0]], user), *r[1:]) for r in rows}
    _add_newest_comments(found)

    def order(s: PageSummary) -> tuple:
        newest = -s.newest.timestamp() if s.newest else 0.0
        return (not s.owned, s.open == 0, newest, danish_sort_key(s.page.title))

    return sorted(found.values(), key=order)


def _add_newest_comments(found: dict[int, PageSummary]) -> None:
    comments = db.session.scalars(
        sa.select(PageFeedback)
        .where(
            NEEDS_ATTENTION,
            PageFeedback.comment.is_not(None),
            PageFeedback.page_id.in_(found),
        )
        .order_by(PageFeedback.answered_at.desc(), PageFeedback.id.desc())
    )
    for item in comments:
        shown = found[item.page_id].comments
        if len(shown) < NEWEST_COMMENTS:
            shown.append(item)


@dataclass
class PageFeedbackList:
    open: list[PageFeedback]  # needing attention, oldest first (first come, first served)
    handled: list[PageFeedback]  # newest first, at most HANDLED_SHOWN
    handled_total: int
    yes: int
    no: int


def for_page(page: Page) -> PageFeedbackList:
    open_items = db.session.scalars(
        sa.select(PageFeedback)
        .where(PageFeedback.page_id == page.id, NEEDS_ATTENTION)
        .order_by(PageFeedback.answered_at, PageFeedback.id)
    )
    handled = sa.select(PageFeedback).where(
        PageFeedback.page_id == page.id, PageFeedback.handled_at.is_not(None)
    )
    yes, no, handled_total = db.session.execute(
        sa.select(
            _count(PageFeedback.useful.is_(True)),
            _count(PageFeedback.useful.is_(False)),
            _count(PageFeedback.handled_at.is_not(None)),
        ).where(PageFeedback.page_id == page.id)
    ).one()
    return PageFeedbackList(
        open=list(open_items),
        handled=list(
            db.session.scalars(
                handled.order_by(PageFeedback.handled_at.desc(), PageFeedback.id.desc()).limit(
                    HANDLED_SHOWN
                )
            )
        ),
        handled_total=handled_total or 0,
        yes=yes or 0,
        no=no or 0,
    )


def page_by_slug(slug: str) -> Page:
    """Any page, published or not (its feedback stays the editors' business).

    :raises NotFound: if there is no page with that slug."""
    page = db.session.scalar(sa.select(Page).where(Page.slug == slug))
    if page is None:
        raise NotFound("Siden findes ikke.")
    return page
