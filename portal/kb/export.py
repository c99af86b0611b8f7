"""Pages → files: ``portal content export DIR`` writes every published guide and procedure,
and the glossary, as Markdown with front matter in the content files' shape, so that a sync
of what was exported changes nothing."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import sqlalchemy as sa

from portal.extensions import db
from portal.kb import revisions
from portal.kb.content import GLOSSARY_SLUG, KIND_BY_FOLDER
from portal.kb.models import GlossaryTerm, Page, PageRedirect

FOLDER_BY_KIND = {kind: folder for folder, kind in KIND_BY_FOLDER.items()}


def front_matter(page: Page) -> dict:
    data = revisions.data_of(page)
    meta: dict = {
        "title": data.title,
        "summary": data.summary,
        "administration": data.administration,
        "category": data.category,
        "tags": list(data.tags),
        "owner": data.owner,
        "reviewed": data.reviewed,
        "related": list(data.related),
    }
    old = sorted(
        db.session.scalars(sa.select(PageRedirect.old_slug).where(PageRedirect.page_id == page.id))
    )
    if old:
        meta["redirect_from"] = old
    if data.review_days:
        meta["review_days"] = data.review_days
    if data.kind == "procedure":
        meta["trigger"] = data.trigger
        if data.follows_model:
            meta["follows_model"] = True
        meta["steps"] = [
            {k: v for k, v in vars(step).items() if v is not None} for step in data.steps
        ]
    if page.slug == GLOSSARY_SLUG:
        meta["terms"] = [
            _term(t) for t in db.session.scalars(sa.select(GlossaryTerm).order_by(GlossaryTerm.id))
        ]
    return meta


def _term(term: GlossaryTerm) -> dict:
    found = {"term": term.term, "long": term.long_form, "synonyms": term.synonyms}
    return {k: v for k, v in found.items() if v} | {"definition": term.definition}


def export(target: Path) -> list[str]:
    """Write the files; returns their paths relative to ``target``."""
    written = []
    pages = db.session.scalars(
        sa.select(Page).where(Page.published.is_(True)).order_by(Page.kind, Page.slug)
    )
    for page in pages:
        relative = Path(FOLDER_BY_KIND[page.kind]) / f"{page.slug}.md"
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        post = frontmatter.Post(page.body_source, **front_matter(page))
        text = frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=100)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(relative.as_posix())
    return written
