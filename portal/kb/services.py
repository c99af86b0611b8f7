"""Loading the content files into the database, and reading pages back. Functions flush; the
caller commits."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from portal import audit, signals
from portal.administration import chosen_filter, one_of
from portal.errors import NotFound
from portal.extensions import db
from portal.kb.content import GLOSSARY_SLUG, ContentFile, read_all
from portal.kb.models import GlossaryTerm, Page, PageTag, Step
from portal.text import (
    RENDERER_VERSION,
    Glossary,
    GlossaryEntry,
    danish_sort_key,
    render,
    render_inline,
    slugify,
)
from portal.transaction import after_response


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.unpublished)

    def summary(self) -> str:
        return (
            f"{len(self.created)} nye, {len(self.updated)} opdaterede, "
            f"{len(self.unchanged)} uændrede, {len(self.unpublished)} afpublicerede"
        )


def _salt(root: Path) -> str:
    """Rendering depends on the renderer and the glossary: a change to either renders again."""
    glossary = root / "vejviser" / f"{GLOSSARY_SLUG}.md"
    digest = hashlib.sha256(glossary.read_bytes()).hexdigest() if glossary.exists() else ""
    return f"{RENDERER_VERSION}:{digest}"


def _glossary_from(files: list[ContentFile]) -> Glossary:
    source = next((f for f in files if f.slug == GLOSSARY_SLUG), None)
    if source is None or not source.meta.terms:
        return Glossary()
    entries = []
    for term in source.meta.terms:
        if term.long:
            # Mark the abbreviation (and "SKP'er"), not the long forms listed for search.
            words = (term.term, *(s for s in term.synonyms if s.startswith(term.term)))
        else:
            words = (term.term, *term.synonyms)
        title = term.long or term.definition
        entries.append(GlossaryEntry(slugify(term.term), words, title, bool(term.long)))
    return Glossary(entries)


def _sync_glossary(source: ContentFile, glossary: Glossary) -> None:
    db.session.execute(sa.delete(GlossaryTerm))
    for term in source.meta.terms or []:
        db.session.add(
            GlossaryTerm(
                slug=slugify(term.term),
                term=term.term,
                long_form=term.long,
                synonyms=list(term.synonyms),
                definition=term.definition,
                definition_html=render_inline(term.definition),
            )
        )


def _apply(page: Page, f: ContentFile, glossary: Glossary) -> None:
    meta = f.meta
    rendered = render(f.body, glossary)
    page.kind = f.kind
    page.title = meta.title
    page.summary = meta.summary
    page.administration = meta.administration
    page.category = meta.category
    page.owner = meta.owner
    page.reviewed = meta.reviewed
    page.related_slugs = list(meta.related)
    page.trigger = getattr(meta, "trigger", None)
    page.body_source = f.body
    page.body_html = rendered.html
    page.toc_html = rendered.toc
    page.source_path = f.path
    page.content_hash = f.digest
    page.published = True
    page.tags = [PageTag(name=name, slug=slugify(name)) for name in dict.fromkeys(meta.tags)]
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
        )
        for number, step in enumerate(getattr(meta, "steps", []), start=1)
    ]


def sync_content(root: Path | None = None) -> SyncReport:
    """Load the content files: new and changed files are saved and rendered, unchanged files
    (same content hash) are skipped, pages whose file is gone are unpublished.

    :raises ContentError: if any file is invalid; then nothing is loaded.
    """
    root = Path(root or current_app.config["CONTENT_DIR"])
    files = read_all(root, _salt(root))
    glossary = _glossary_from(files)
    existing = {p.slug: p for p in db.session.scalars(sa.select(Page))}
    report = SyncReport()
    for f in files:
        page = existing.get(f.slug)
        if page is not None and page.content_hash == f.digest and page.published:
            report.unchanged.append(f.slug)
            continue
        if page is None:
            page = Page(slug=f.slug)
            db.session.add(page)
            report.created.append(f.slug)
        else:
            page.version += 1
            report.updated.append(f.slug)
        _apply(page, f, glossary)
        if f.slug == GLOSSARY_SLUG:
            _sync_glossary(f, glossary)
    seen = {f.slug for f in files}
    for slug, page in existing.items():
        if slug not in seen and page.published:
            page.published = False
            report.unpublished.append(slug)
    db.session.flush()
    for slug in report.created + report.updated + report.unpublished:
        action = "sync_unpublish" if slug in report.unpublished else "sync"
        audit.record(None, action, "page", slug)
    return report


# Reading


def published_pages(kind: str | None = None, administration: str | None = None) -> list[Page]:
    query = sa.select(Page).where(Page.published.is_(True))
    if kind:
        query = query.where(Page.kind == kind)
    if chosen_filter(administration):
        query = query.where(Page.administration.in_(one_of(administration)))
    return sorted(db.session.scalars(query), key=lambda p: danish_sort_key(p.title))


def get_page(kind: str, slug: str) -> Page:
    """:raises NotFound: if there is no published page of that kind and slug."""
    page = db.session.scalar(
        sa.select(Page).where(Page.slug == slug, Page.kind == kind, Page.published.is_(True))
    )
    if page is None:
        raise NotFound("Siden findes ikke, eller den er ikke længere udgivet.")
    return page


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


def record_visit(page: Page) -> None:
    """Tell whoever counts visits (the editors' area: daily, no personal data) that ``page``
    was read: after the response's transaction, in a short one of its own."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kind, slug = page.kind, page.slug
    after_response(lambda: signals.page_viewed.send(app, kind=kind, slug=slug))
