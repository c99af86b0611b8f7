"""Page data → page: the one ``save_page`` that the content sync and browser editing call. It
renders Markdown once, when the page is saved, keeps old addresses and records a revision."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal import audit
from portal.db import utcnow
from portal.extensions import db
from portal.kb import revisions
from portal.kb.models import Page, PageRedirect, PageTag, Step
from portal.kb.pagedata import PageData
from portal.text import Glossary, Renderer, slugify


@dataclass
class Saved:
    page: Page
    created: bool


def save_page(
    data: PageData, glossary: Glossary, actor=None, action: str = "sync", note: str = ""
) -> Saved:
    """Create or update the page with ``data.slug`` (or ``page``, when it is renamed): render
    it, publish it, record its old addresses and a revision, flush and audit. The caller's
    transaction boundary commits.

    :raises StaleDataError: (on flush) if the page was saved by someone else meanwhile; see
        ``errors.one_save_wins``.
    """
    page = db.session.scalar(sa.select(Page).where(Page.slug == data.slug))
    return save(page, data, glossary, actor, action, note)


def save(
    page: Page | None, data: PageData, glossary: Glossary, actor, action: str, note: str = ""
) -> Saved:
    created = page is None
    if page is None:
        page = Page(slug=data.slug)
        db.session.add(page)
    else:
        if not revisions.has_revisions(page):  # saved before revisions existed
            revisions.record(page, None, "sync", "Siden, som den var før første ændring")
        page.version += 1
    _apply(page, data, glossary)
    page.edited_in_browser_at = None if action == "sync" else utcnow()
    db.session.flush()
    _keep_old_addresses(page, data.redirect_from)
    revisions.record(page, actor, action, note)
    audit.record(actor, action, "page", data.slug)
    return Saved(page, created)


def _apply(page: Page, data: PageData, glossary: Glossary) -> None:
    renderer = Renderer(glossary)
    rendered = renderer.render(data.body)
    page.kind = data.kind
    page.slug = data.slug
    page.title = data.title
    page.summary = data.summary
    page.administration = data.administration
    page.category = data.category
    page.owner = data.owner
    page.reviewed = data.reviewed
    page.related_slugs = list(data.related)
    page.trigger = data.trigger
    page.follows_model = data.follows_model
    page.review_days = data.review_days
    page.body_source = data.body
    page.body_html = rendered.html
    page.toc_html = rendered.toc
    page.source_path = data.source_path
    page.content_hash = data.content_hash
    page.published = True
    tags = list(dict.fromkeys(data.tags))
    if [tag.name for tag in page.tags] != tags:
        page.tags = [PageTag(name=name, slug=slugify(name)) for name in tags]
    _set_steps(page, data, renderer)


def _set_steps(page: Page, data: PageData, renderer: Renderer) -> None:
    """The steps as ``data`` has them, in the rows the page has (a save that changes one step
    updates one row, not delete and insert them all); rows left over go."""
    rows = list(page.steps)
    for number, step in enumerate(data.steps, start=1):
        row = rows[number - 1] if number <= len(rows) else Step()
        row.position = number
        row.owner = step.owner
        row.title = step.title
        row.text_source = step.text
        row.text_html = renderer.inline(step.text)
        row.deadline = step.deadline
        row.document = step.document
        row.contact = step.contact
        row.model_step = step.model_step
        if number > len(rows):
            rows.append(row)
    page.steps = rows[: len(data.steps)]


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


def set_published(page: Page, published: bool, actor=None, action: str | None = None) -> None:
    """Take the page off the portal (its address answers 404, search forgets it) or put it
    back, as a revision of its own."""
    page.published = published
    page.version += 1
    db.session.flush()
    action = action or ("publish" if published else "unpublish")
    revisions.record(page, actor, action)
    audit.record(actor, action, "page", page.slug)
