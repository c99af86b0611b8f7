"""Page data → page: the one ``save_page`` that the content sync calls (and browser editing
will call next). It renders Markdown once, when the page is saved, and keeps old addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal import audit
from portal.extensions import db
from portal.kb.models import Page, PageRedirect, PageTag, Step
from portal.text import Glossary, render, render_inline, slugify


@dataclass(frozen=True)
class StepData:
    owner: str
    title: str
    text: str
    deadline: str | None = None
    document: str | None = None
    contact: str | None = None
    model_step: int | None = None


@dataclass(frozen=True)
class PageData:
    """Everything a page is, in the words of the front matter (see content/README.md)."""

    kind: str  # guide | procedure
    slug: str
    title: str
    summary: str
    administration: str
    category: str
    owner: str
    reviewed: date
    body: str
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    redirect_from: tuple[str, ...] = ()
    trigger: str | None = None
    steps: tuple[StepData, ...] = ()
    follows_model: bool = False
    source_path: str | None = None
    content_hash: str = ""


@dataclass
class Saved:
    page: Page
    created: bool


def save_page(data: PageData, glossary: Glossary, actor=None, action: str = "save") -> Saved:
    """Create or update the page with ``data.slug``: render it, publish it, record its old
    addresses, flush and audit. The caller's transaction boundary commits."""
    page = db.session.scalar(sa.select(Page).where(Page.slug == data.slug))
    created = page is None
    if page is None:
        page = Page(slug=data.slug)
        db.session.add(page)
    else:
        page.version += 1
    _apply(page, data, glossary)
    db.session.flush()
    _keep_old_addresses(page, data.redirect_from)
    audit.record(actor, action, "page", data.slug)
    return Saved(page, created)


def _apply(page: Page, data: PageData, glossary: Glossary) -> None:
    rendered = render(data.body, glossary)
    page.kind = data.kind
    page.title = data.title
    page.summary = data.summary
    page.administration = data.administration
    page.category = data.category
    page.owner = data.owner
    page.reviewed = data.reviewed
    page.related_slugs = list(data.related)
    page.trigger = data.trigger
    page.follows_model = data.follows_model
    page.body_source = data.body
    page.body_html = rendered.html
    page.toc_html = rendered.toc
    page.source_path = data.source_path
    page.content_hash = data.content_hash
    page.published = True
    page.tags = [PageTag(name=name, slug=slugify(name)) for name in dict.fromkeys(data.tags)]
    page.steps = [
        Step(
            position=number,
            owner=step.owner,
            title=step.title,
            text_source=step.text,
            text_html=render_inline(step.text, glossary),
            deadline=step.deadline,
            document=step.document,
            contact=step.contact,
            model_step=step.model_step,
        )
        for number, step in enumerate(data.steps, start=1)
    ]


def _keep_old_addresses(page: Page, old_slugs: tuple[str, ...]) -> None:
    """Each old slug redirects to ``page`` (moved from another page if it pointed there); a
    slug that is a page's own address again stops redirecting."""
    db.session.execute(sa.delete(PageRedirect).where(PageRedirect.old_slug == page.slug))
    for slug in old_slugs:
        found = db.session.get(PageRedirect, slug)
        if found is None:
            db.session.add(PageRedirect(old_slug=slug, page_id=page.id))
        else:
            found.page_id = page.id
    db.session.flush()


def unpublish(page: Page, actor=None, action: str = "unpublish") -> None:
    page.published = False
    db.session.flush()
    audit.record(actor, action, "page", page.slug)
