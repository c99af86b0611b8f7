"""How guides and procedures are found: their search documents, and glossary synonyms."""

from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.kb.content import GLOSSARY_SLUG
from portal.kb.models import GlossaryTerm, Page
from portal.kb.services import KIND_BY_PAGE_KIND, page_url
from portal.search import SearchDocument, Source, every_word_in
from portal.text import plain_text


def document(page: Page) -> SearchDocument:
    parts = [plain_text(page.body_html)]
    tags = list(page.tag_names)
    if page.trigger:
        parts.insert(0, page.trigger)
    for step in page.steps:
        parts.append(f"{step.title}. {plain_text(step.text_html)}")
    if page.slug == GLOSSARY_SLUG:  # every term is findable, and known to "Mente du"
        for term in db.session.scalars(sa.select(GlossaryTerm)):
            words = [term.term, term.long_form or "", *term.synonyms]
            tags.extend(w for w in words if w)
            parts.append(f"{term.term}: {term.definition}")
    return SearchDocument(
        source="page",
        key=str(page.id),
        kind=KIND_BY_PAGE_KIND[page.kind],
        title=page.title,
        url=page_url(page),
        administration=page.administration,
        summary=page.summary,
        body="\n".join(parts),
        tags=tuple(tags),
    )


def load(key: str) -> SearchDocument | None:
    page = db.session.get(Page, int(key))
    if page is None or not page.published:
        return None
    return document(page)


def all_keys() -> list[str]:
    return [str(i) for i in db.session.scalars(sa.select(Page.id).where(Page.published))]


def fallback(words: list[str]) -> list[SearchDocument]:
    """A plain database search, used only while the index cannot be."""
    query = sa.select(Page).where(
        Page.published.is_(True), *every_word_in(words, Page.title, Page.summary, Page.body_source)
    )
    return [document(p) for p in db.session.scalars(query.limit(200))]


def synonym_groups() -> list[list[str]]:
    """Each glossary term with its long form and synonyms, as words that mean the same."""
    groups = []
    for term in db.session.scalars(sa.select(GlossaryTerm)):
        group = list(
            dict.fromkeys(
                [term.term, *([term.long_form] if term.long_form else []), *term.synonyms]
            )
        )
        if len(group) > 1:
            groups.append(group)
    return groups


SOURCE = Source(
    name="page",
    models=(Page,),
    key_of=lambda page: page.id,
    load=load,
    all_keys=all_keys,
    fallback=fallback,
)
