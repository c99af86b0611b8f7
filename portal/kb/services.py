"""Reading the knowledge base: lists, pages, old addresses, tags, the glossary and the
seven-step model. Loading files is ``sync.py``; saving a page is ``pages.py``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from portal import signals
from portal.administration import chosen_filter, one_of
from portal.errors import NotFound
from portal.extensions import db
from portal.kb.content import GLOSSARY_SLUG
from portal.kb.models import GlossaryTerm, Page, PageRedirect, PageTag, Step
from portal.text import (
    danish_sort_key,
)


def published_pages(kind: str | None = None, administration: str | None = None) -> list[Page]:
    query = sa.select(Page).where(Page.published.is_(True))
    if kind:
        query = query.where(Page.kind == kind)
    chosen = chosen_filter(administration)
    if chosen:
        query = query.where(Page.administration.in_(one_of(chosen)))
    return sorted(db.session.scalars(query), key=lambda p: danish_sort_key(p.title))


def get_page(kind: str, slug: str) -> Page:
    """:raises NotFound: if there is no published page of that kind and slug."""
    page = db.session.scalar(
        sa.select(Page).where(Page.slug == slug, Page.kind == kind, Page.published.is_(True))
    )
    if page is None:
        raise NotFound("Siden findes ikke, eller den er ikke længere udgivet.")
    return page


KIND_BY_PAGE_KIND = {"guide": "vejviser", "procedure": "sagsgange"}  # the kinds' URL words


def page_url(page: Page) -> str:
    if page.slug == GLOSSARY_SLUG:
        return "/ordliste"
    return f"/{KIND_BY_PAGE_KIND[page.kind]}/{page.slug}"


def review_due(page: Page) -> date:
    """When the page should be reviewed next: its own interval, or the installation's."""
    days = page.review_days or current_app.config["REVIEW_AFTER_DAYS"]
    return page.reviewed + timedelta(days=days)


def redirect_for(slug: str) -> Page | None:
    """The published page that ``slug`` was an old address of, if any."""
    return db.session.scalar(
        sa.select(Page)
        .join(PageRedirect, PageRedirect.page_id == Page.id)
        .where(PageRedirect.old_slug == slug, Page.published.is_(True))
    )


MODEL_SLUG = "samarbejdsmodellen"


def model_steps(page: Page) -> list[Step]:
    """The seven steps of the samarbejdsmodel, for a procedure that follows it: the model is
    written once, on its own page, and shown from there."""
    if not page.follows_model or page.slug == MODEL_SLUG:
        return []
    return list(
        db.session.scalars(
            sa.select(Step)
            .join(Page)
            .where(Page.slug == MODEL_SLUG, Page.published.is_(True))
            .order_by(Step.position)
        )
    )


def related_pages(page: Page) -> list[Page]:
    if not page.related_slugs:
        return []
    found = {
        p.slug: p
        for p in db.session.scalars(
            sa.select(Page).where(Page.slug.in_(page.related_slugs), Page.published.is_(True))
        )
    }
    return [found[s] for s in page.related_slugs if s in found]


# The guide list's sections, in reading order; a category not named here comes after them.
CATEGORY_ORDER = [
    "Strategi og organisation",
    "Samarbejde om borgeren",
    "Tilbud og indsatser",
    "Viden og netværk",
    "Opslag",
]


def guides_by_category() -> dict[str, list[Page]]:
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in published_pages("guide"):
        groups[page.category].append(page)

    def position(category: str) -> tuple[int, str]:
        known = category in CATEGORY_ORDER
        return (CATEGORY_ORDER.index(category) if known else len(CATEGORY_ORDER), category)

    return {c: groups[c] for c in sorted(groups, key=position)}


def pages_with_tag(tag_slug: str) -> tuple[str, list[Page]]:
    """:raises NotFound: if no published page has the tag."""
    rows = db.session.execute(
        sa.select(PageTag.name, Page)
        .join(Page)
        .where(PageTag.slug == tag_slug, Page.published.is_(True))
    ).all()
    if not rows:
        raise NotFound("Der er ingen sider med dette emne.")
    return rows[0][0], sorted((page for _, page in rows), key=lambda p: danish_sort_key(p.title))


def glossary_terms() -> list[GlossaryTerm]:
    terms = db.session.scalars(sa.select(GlossaryTerm))
    return sorted(terms, key=lambda t: danish_sort_key(t.term))


def record_visit(kind: str, slug: str) -> None:
    """Tell whoever counts visits (the editors' area: daily, no personal data) that the page
    was read."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    signals.page_viewed.send(app, kind=kind, slug=slug)
