"""Files → page data: loading ``content/`` into the database through ``pages.save_page``.
Functions flush; the caller's transaction boundary commits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.kb import pages, revisions
from portal.kb.content import GLOSSARY_SLUG, ContentFile, ProcedureSchema, read_all
from portal.kb.models import GlossaryTerm, Page
from portal.kb.pagedata import PageData, StepData
from portal.text import RENDERER_VERSION, Glossary, GlossaryEntry, render_inline, slugify


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    # Pages edited in the browser since their file was last read: left as they are.
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.unpublished)

    def summary(self) -> str:
        return (
            f"{len(self.created)} nye, {len(self.updated)} opdaterede, "
            f"{len(self.unchanged)} uændrede, {len(self.unpublished)} afpublicerede"
            + (
                f", {len(self.conflicts)} ikke indlæst (rettet i browseren)"
                if self.conflicts
                else ""
            )
        )


def _salt(root: Path) -> str:
    """Rendering depends on the renderer and the glossary: a change to either renders again."""
    glossary = root / "vejviser" / f"{GLOSSARY_SLUG}.md"
    digest = hashlib.sha256(glossary.read_bytes()).hexdigest() if glossary.exists() else ""
    return f"{RENDERER_VERSION}:{digest}"


def _glossary_from(files: list[ContentFile]) -> Glossary:
    source = next((f for f in files if f.slug == GLOSSARY_SLUG), None)
    terms = getattr(source.meta, "terms", None) if source else None
    return Glossary([_entry(t.term, t.long, t.synonyms, t.definition) for t in terms or []])


def current_glossary() -> Glossary:
    """The glossary as the database holds it: what a page saved in the browser is marked with."""
    return Glossary(
        [
            _entry(t.term, t.long_form, t.synonyms, t.definition)
            for t in db.session.scalars(sa.select(GlossaryTerm))
        ]
    )


def _entry(term: str, long: str | None, synonyms: list[str], definition: str) -> GlossaryEntry:
    # An abbreviation marks itself (and "SKP'er"), not the long forms listed for search.
    marked = [s for s in synonyms if s.startswith(term)] if long else synonyms
    words = (term, *marked)
    return GlossaryEntry(slugify(term), words, long or definition, bool(long))


def _same_terms(source: ContentFile) -> bool:
    """Whether the glossary file holds the terms the database has."""
    stored = [
        (t.term, t.long_form, list(t.synonyms), t.definition)
        for t in db.session.scalars(sa.select(GlossaryTerm).order_by(GlossaryTerm.id))
    ]
    terms = getattr(source.meta, "terms", None) or []
    return stored == [(t.term, t.long, list(t.synonyms), t.definition) for t in terms]


def _sync_glossary(source: ContentFile) -> None:
    db.session.execute(sa.delete(GlossaryTerm))
    for term in getattr(source.meta, "terms", None) or []:
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


def page_data(f: ContentFile) -> PageData:
    """A content file in the words ``save_page`` takes."""
    meta = f.meta
    procedure = meta if isinstance(meta, ProcedureSchema) else None
    steps = tuple(
        StepData(
            owner=s.owner,
            title=s.title,
            text=s.text,
            deadline=s.deadline,
            document=s.document,
            contact=s.contact,
            model_step=s.model_step,
        )
        for s in (procedure.steps if procedure else [])
    )
    return PageData(
        kind=f.kind,
        slug=f.slug,
        title=meta.title,
        summary=meta.summary,
        administration=meta.administration,
        category=meta.category,
        owner=meta.owner,
        reviewed=meta.reviewed,
        body=f.body,
        tags=tuple(meta.tags),
        related=tuple(meta.related),
        redirect_from=tuple(meta.redirect_from),
        trigger=procedure.trigger if procedure else None,
        steps=steps,
        follows_model=procedure.follows_model if procedure else False,
        review_days=meta.review_days,
        source_path=f.path,
        content_hash=f.digest,
    )


def sync_content(root: Path | None = None) -> SyncReport:
    """Load the content files: new and changed files are saved and rendered, unchanged files
    (same content hash, or the same content written differently) are skipped, pages whose
    file is gone are unpublished. A page edited in the browser since its file was last read
    is never overwritten or unpublished: it is reported as a conflict and left as it is.

    :raises ContentError: if any file is invalid; then nothing is loaded.
    """
    root = Path(root or current_app.config["CONTENT_DIR"])
    files = read_all(root, _salt(root))
    existing = {p.slug: p for p in db.session.scalars(sa.select(Page))}
    edited = existing.get(GLOSSARY_SLUG)
    # Pages are marked with the glossary they will be shown with: the file's, unless the
    # glossary was edited in the browser (then the file does not replace it).
    in_browser = edited is not None and edited.edited_in_browser_at is not None
    glossary = current_glossary() if in_browser else _glossary_from(files)
    report = SyncReport()
    for f in files:
        page = existing.get(f.slug)
        if page is not None and page.content_hash == f.digest and page.published:
            report.unchanged.append(f.slug)
            continue
        data = page_data(f)
        if (
            page is not None
            and page.published
            and revisions.same_content(data, revisions.data_of(page))
            and (f.slug != GLOSSARY_SLUG or _same_terms(f))
        ):  # the same, written differently (or exported): file and page agree again
            page.content_hash, page.source_path = f.digest, f.path
            page.edited_in_browser_at = None
            report.unchanged.append(f.slug)
            continue
        if page is not None and page.edited_in_browser_at is not None:
            report.conflicts.append(f.slug)
            continue
        if f.slug == GLOSSARY_SLUG:  # first: the glossary page's revision holds its terms
            _sync_glossary(f)
        saved = pages.save_page(data, glossary, action="sync")
        (report.created if saved.created else report.updated).append(f.slug)
    seen = {f.slug for f in files}
    for slug, page in existing.items():
        if slug in seen or not page.published or page.source_path is None:
            continue  # a page made in the browser has no file
        if page.edited_in_browser_at is not None:
            report.conflicts.append(slug)
            continue
        pages.set_published(page, False, action="sync_unpublish")
        report.unpublished.append(slug)
    db.session.flush()
    return report
