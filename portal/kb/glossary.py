"""The glossary edited in the browser (editors): add, change and remove terms. Each change is
a revision of the glossary page (its terms are in the revision's state, so a comparison shows
which terms changed), marks the glossary page as edited in the browser (a content sync then
leaves it alone), re-renders the pages whose glossary marking changes, and reaches search's
synonyms at once (``search.synonym_groups`` reads the table on every query)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.cpr import contains_cpr
from portal.errors import FieldErrors, NotFound, check_version, one_save_wins
from portal.extensions import db
from portal.kb import pages, revisions
from portal.kb.content import GLOSSARY_SLUG, TermSchema, describe
from portal.kb.models import GlossaryTerm, Page
from portal.kb.sync import current_glossary
from portal.text import Glossary, Renderer, render_inline, slugify

NOUN = "Ordet"
PAGE_NOUN = "Ordlisten"
CPR_MESSAGE = "Fjern det, der ligner et CPR-nummer. Portalen må ikke rumme borgerdata."
FIELDS = ("term", "long", "synonyms", "definition")  # the form's, as in the front matter


@dataclass
class TermDraft:
    """What the term form holds (synonyms already split at commas)."""

    term: str
    long: str = ""
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""


def glossary_page(lock: bool = False) -> Page:
    """The glossary page; ``lock``: hold its row until commit, so that glossary changes
    happen one at a time (on PostgreSQL; SQLite writes one at a time anyway).

    :raises NotFound: if the content has not been loaded yet."""
    query = sa.select(Page).where(Page.slug == GLOSSARY_SLUG)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    page = db.session.scalar(query)
    if page is None:
        raise NotFound("Ordlisten findes ikke endnu.")
    return page


def get_term(slug: str) -> GlossaryTerm:
    """:raises NotFound:"""
    term = db.session.scalar(sa.select(GlossaryTerm).where(GlossaryTerm.slug == slug))
    if term is None:
        raise NotFound("Ordet findes ikke i ordlisten.")
    return term


def draft_of(term: GlossaryTerm) -> TermDraft:
    return TermDraft(term.term, term.long_form or "", list(term.synonyms), term.definition)


def check(draft: TermDraft, term: GlossaryTerm | None) -> TermSchema:
    """The draft as a term in the content files' shape. :raises FieldErrors: naming each
    field that is wrong (``term``, ``long``, ``synonyms``, ``definition``)."""
    values = {
        "term": draft.term,
        "long": draft.long.strip() or None,
        "synonyms": list(dict.fromkeys(s.strip() for s in draft.synonyms if s.strip())),
        "definition": draft.definition.replace("\r\n", "\n").strip(),
    }
    errors: dict[str, str] = {}
    checked = None
    try:
        checked = TermSchema.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(str(error["loc"][0]), _message(error))
    for name in FIELDS:
        value = values[name]
        if contains_cpr(", ".join(value) if isinstance(value, list) else value or ""):
            errors[name] = CPR_MESSAGE
    errors = _check_words(values, term) | errors
    if errors or checked is None:
        raise FieldErrors(errors)
    return checked


def _message(error) -> str:
    if error["type"] in ("missing", "string_too_short"):
        return "Skal udfyldes."
    text = describe(error)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _check_words(values: dict, term: GlossaryTerm | None) -> dict[str, str]:
    """No word may belong to two terms (search would not know which one is meant), and no two
    terms may share an address on /ordliste."""
    taken: dict[str, str] = {}
    slugs = set()
    for other in db.session.scalars(sa.select(GlossaryTerm)):
        if term is not None and other.id == term.id:
            continue
        slugs.add(other.slug)
        for word in words_of(other):
            taken.setdefault(word.casefold(), other.term)
    errors = {}
    word = values["term"].strip()
    if word.casefold() in taken:
        errors["term"] = f"«{word}» står allerede i ordlisten (under «{taken[word.casefold()]}»)."
    elif word and slugify(word) in slugs:
        errors["term"] = f"Et andet ord i ordlisten har samme adresse som «{word}»."
    long = values["long"]
    if long and long.casefold() in taken:
        errors["long"] = f"«{long}» står allerede i ordlisten (under «{taken[long.casefold()]}»)."
    clashes = [
        f"«{s}» (under «{taken[s.casefold()]}»)"
        for s in values["synonyms"]
        if s.casefold() in taken
    ]
    if clashes:
        errors["synonyms"] = "Står allerede i ordlisten: " + ", ".join(clashes) + "."
    return errors


def add_term(draft: TermDraft, note: str, actor) -> GlossaryTerm:
    """:raises FieldErrors: see ``check``. :raises Conflict: if the glossary changed under a
    concurrent save."""
    page = _begin()
    checked = check(draft, None)
    term = GlossaryTerm(slug=slugify(checked.term))
    _apply(term, checked)
    db.session.add(term)
    _changed(
        page, actor, note or f"Tilføjet: {term.term}", "glossary_add", term.slug, words_of(term)
    )
    return term


def save_term(
    term: GlossaryTerm, draft: TermDraft, expected_version: int | None, note: str, actor
) -> GlossaryTerm:
    """:raises FieldErrors: see ``check``. :raises Conflict: if someone saved the term (or
    the glossary) after the form was opened."""
    page = _begin()
    check_version(term, expected_version, NOUN)
    checked = check(draft, term)
    with one_save_wins(NOUN):
        old_slug, old_words = term.slug, words_of(term)
        _apply(term, checked)
        term.slug = slugify(checked.term)
        term.version += 1
    words = old_words | words_of(term)
    _changed(page, actor, note or f"Rettet: {term.term}", "glossary_edit", old_slug, words)
    return term


def remove_term(term: GlossaryTerm, expected_version: int | None, note: str, actor) -> None:
    """:raises Conflict: if someone saved the term after the form was opened."""
    page = _begin()
    check_version(term, expected_version, NOUN)
    words = words_of(term)
    with one_save_wins(NOUN):
        db.session.delete(term)
    _changed(page, actor, note or f"Fjernet: {term.term}", "glossary_remove", term.slug, words)


def _apply(term: GlossaryTerm, checked: TermSchema) -> None:
    term.term = checked.term
    term.long_form = checked.long
    term.synonyms = list(checked.synonyms)
    term.definition = checked.definition
    term.definition_html = render_inline(checked.definition)


def _begin() -> Page:
    """Lock the glossary page, and keep its state before this first browser change as a
    revision if it has none (saved before revisions existed)."""
    page = glossary_page(lock=True)
    if not revisions.has_revisions(page):
        revisions.record(page, None, "sync", "Siden, som den var før første ændring")
    return page


def _changed(page: Page, actor, note: str, action: str, slug: str, words: set[str]) -> None:
    """The glossary page's next revision (the terms are in its state), then the pages that
    mention the changed term's ``words`` are rendered again."""
    glossary = current_glossary()
    data = revisions.data_of(page)
    with one_save_wins(PAGE_NOUN):
        pages.save(page, data, glossary, actor, "edit", note)
    audit.record(actor, action, "glossary_term", slug)
    mark_stale(words)


# Pages are marked with the glossary when they are saved. Rendering all ~30 pages again takes
# 0.6-1 s on this machine (see the report of issue 11), too slow for the editor's save: a
# glossary change flags the pages that mention the changed words, and ``portal jobs run`` (every
# few minutes) renders them. Search does not wait: synonyms are read at query time.


def mark_stale(words: set[str]) -> int:
    """Flag the pages that mention one of ``words`` (in any case) for rendering again: marking
    touches nothing else. A plain UPDATE of the flag: no revision, no new version, not an edit.
    Returns how many pages were flagged."""
    wanted = [w.casefold() for w in words if w]
    query = sa.select(Page).where(Page.slug != GLOSSARY_SLUG).options(selectinload(Page.steps))
    ids = [page.id for page in db.session.scalars(query) if _mentions(page, wanted)]
    if ids:
        db.session.execute(sa.update(Page).where(Page.id.in_(ids)).values(glossary_stale=True))
    return len(ids)


def rerender_job(app) -> str | None:
    """``portal jobs run``: render the flagged pages with the glossary as it is now."""
    flagged = db.session.scalar(
        sa.select(sa.func.count()).select_from(Page).where(Page.glossary_stale.is_(True))
    )
    if not flagged:
        return None
    changed = rerender_pages(current_glossary(), only_stale=True)
    return f"Ordliste: {flagged} sider er tjekket mod den nye ordliste, {changed} er ændret."


def rerender_pages(glossary: Glossary, only_stale: bool = False) -> int:
    """Render the pages' texts and steps again with ``glossary`` (its terms are marked where
    they occur; ``only_stale``: the flagged pages) and clear their flags. A page whose HTML
    stays the same is not touched. Not a content change: no revision, no new version, not
    marked as edited in the browser. Returns how many pages changed. Flushes.
    """
    renderer = Renderer(glossary)
    changed = 0
    query = sa.select(Page).where(Page.slug != GLOSSARY_SLUG).options(selectinload(Page.steps))
    if only_stale:  # locked: a save meanwhile waits, so neither overwrites the other
        query = query.where(Page.glossary_stale.is_(True)).with_for_update()
    pages_seen = list(db.session.scalars(query))
    for page in pages_seen:
        rendered = renderer.render(page.body_source)
        before = (page.body_html, page.toc_html, [s.text_html for s in page.steps])
        page.body_html, page.toc_html = rendered.html, rendered.toc
        for step in page.steps:
            html = renderer.inline(step.text_source)
            if step.text_html != html:
                step.text_html = html
        changed += before != (page.body_html, page.toc_html, [s.text_html for s in page.steps])
    db.session.flush()
    ids = [page.id for page in pages_seen]
    if ids:  # the flag alone: the page is not saved again for it
        db.session.execute(sa.update(Page).where(Page.id.in_(ids)).values(glossary_stale=False))
    return changed


def _mentions(page: Page, words: list[str]) -> bool:
    text = "\n".join([page.body_source, *(s.text_source for s in page.steps)]).casefold()
    return any(word in text for word in words)


def words_of(term: GlossaryTerm) -> set[str]:
    return {term.term, term.long_form or "", *term.synonyms} - {""}
