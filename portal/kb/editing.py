"""Saving guides and procedures from the browser: the form's words are checked by the same
schema as the content files, rendered and saved by ``pages.save``, one revision per save."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from pydantic import ValidationError

from portal.auth.models import Role, User
from portal.cpr import contains_cpr
from portal.errors import FieldErrors, NotFound, check_version, one_save_wins
from portal.extensions import db
from portal.kb import pages, revisions
from portal.kb.content import GLOSSARY_SLUG, GuideSchema, ProcedureSchema, describe
from portal.kb.models import Page, PageRedirect
from portal.kb.pagedata import PageData, StepData
from portal.kb.sync import current_glossary
from portal.text import slugify
from portal.timeutil import local_today

MAX_BODY_BYTES = 200_000
SPECIAL_UNIT = "BIF-SOF specialenheden"
NOUN = "Siden"
RESERVED_SLUGS = {GLOSSARY_SLUG, "ny"}  # /vejviser/ny is the new page's form


@dataclass
class Draft:
    """What the edit form holds, in the front matter's words (lists already split)."""

    slug: str
    title: str
    summary: str
    administration: str
    category: str
    owner: str
    body: str
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    trigger: str | None = None
    follows_model: bool = False
    review_days: str | None = None
    steps: list[dict] = field(default_factory=list)


def owners() -> list[str]:
    """Who can own a page: the special unit, or a named editor or administrator."""
    names = db.session.scalars(
        sa.select(User.name)
        .where(User.active.is_(True), User.role.in_([Role.EDITOR.value, Role.ADMIN.value]))
        .order_by(User.name)
    )
    return [SPECIAL_UNIT, *dict.fromkeys(names)]


def get_page(kind: str, slug: str, glossary: bool = False) -> Page:
    """A page to edit, published or not; the glossary (its terms are edited on their own,
    see ``glossary.py``) only if ``glossary``, for its history. :raises NotFound:"""
    page = db.session.scalar(sa.select(Page).where(Page.slug == slug, Page.kind == kind))
    if page is None or (slug == GLOSSARY_SLUG and not glossary):
        raise NotFound("Siden findes ikke.")
    return page


def check(kind: str, draft: Draft, page: Page | None) -> PageData:
    """The draft as page data. :raises FieldErrors: naming each field that is wrong (the
    field names are the form's: ``title``, ``steps-0-owner``)."""
    errors: dict[str, str] = {}
    schema = ProcedureSchema if kind == "procedure" else GuideSchema
    values = {
        "title": draft.title,
        "summary": draft.summary,
        "administration": draft.administration,
        "category": draft.category,
        "tags": draft.tags,
        "owner": draft.owner,
        "reviewed": page.reviewed if page else local_today(),
        "related": draft.related,
        "review_days": draft.review_days,
    }
    if kind == "procedure":
        values |= {
            "trigger": draft.trigger or "",
            "follows_model": draft.follows_model,
            "steps": [{k: v for k, v in s.items() if v not in ("", None)} for s in draft.steps],
        }
    try:
        meta = schema.model_validate(values)
    except ValidationError as exc:
        meta = None
        for error in exc.errors():
            name = "-".join(str(part) for part in error["loc"][:3])
            errors.setdefault(name, _message(error))
    slug = draft.slug or slugify(draft.title)[:100]
    errors.update(_check_slug(slug, page))
    errors.update(_check_text(draft))
    if draft.owner not in owners() and (page is None or draft.owner != page.owner):
        errors["owner"] = "Vælg en ejer på listen."
    known = set(db.session.scalars(sa.select(Page.slug).where(Page.published.is_(True))))
    unknown = [s for s in draft.related if s not in known]
    if unknown:
        errors["related"] = "Ukendte sider: " + ", ".join(unknown) + "."
    if errors or meta is None:
        raise FieldErrors(errors)
    return PageData(
        kind=kind,
        slug=slug,
        title=meta.title,
        summary=meta.summary,
        administration=meta.administration,
        category=meta.category,
        owner=meta.owner,
        reviewed=meta.reviewed,
        body=draft.body.strip(),
        tags=tuple(meta.tags),
        related=tuple(meta.related),
        trigger=getattr(meta, "trigger", None),
        steps=tuple(StepData(**s.model_dump()) for s in getattr(meta, "steps", ())),
        follows_model=getattr(meta, "follows_model", False),
        review_days=meta.review_days,
    )


FORM_MESSAGES = {
    "missing": "Skal udfyldes.",
    "string_too_short": "Skal udfyldes.",
    "literal_error": "Vælg BIF, SOF eller begge.",
    "too_short": "En sagsgang skal have mindst ét trin.",
    "string_pattern_mismatch": "Kun adresser med små bogstaver a-z, tal og bindestreger.",
}


def _message(error) -> str:
    text = FORM_MESSAGES.get(error["type"]) or describe(error)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _check_slug(slug: str, page: Page | None) -> dict[str, str]:
    if not slug or slug != slugify(slug) or len(slug) > 100:
        return {"slug": "Adressen må kun have små bogstaver a-z, tal og bindestreger."}
    if slug in RESERVED_SLUGS:
        return {"slug": "Den adresse bruger portalen selv. Vælg en anden."}
    other = db.session.scalar(sa.select(Page.id).where(Page.slug == slug))
    moved = db.session.get(PageRedirect, slug)
    mine = page is not None and (other == page.id or (moved and moved.page_id == page.id))
    if (other or moved) and not mine:
        return {"slug": "En anden side har allerede den adresse (eller har haft den)."}
    return {}


def _check_text(draft: Draft) -> dict[str, str]:
    errors = {}
    if len(draft.body.encode()) > MAX_BODY_BYTES:
        errors["body"] = "Teksten er for lang (højst 200 kB)."
    texts = {
        "title": draft.title,
        "summary": draft.summary,
        "category": draft.category,
        "tags": " ".join(draft.tags),
        "trigger": draft.trigger or "",
        "body": draft.body,
    }
    for number, step in enumerate(draft.steps):
        for key, value in step.items():
            texts[f"steps-{number}-{key}"] = str(value or "")
    for name, text in texts.items():
        if contains_cpr(text):
            errors[name] = "Fjern det, der ligner et CPR-nummer. Portalen må ikke rumme borgerdata."
    return errors


def save(
    kind: str, page: Page | None, draft: Draft, expected_version: int | None, note: str, actor
) -> Page:
    """Save the draft as the page's next revision (a new page if ``page`` is None). A rename
    keeps the old address as a redirect.

    :raises FieldErrors: see ``check``.
    :raises Conflict: if someone saved the page after the form was opened.
    """
    if page is not None:
        check_version(page, expected_version, NOUN)
    data = check(kind, draft, page)
    return _save(page, data, note, actor, "create" if page is None else "edit")


def restore(page: Page, number: int, expected_version: int | None, actor) -> Page:
    """Make revision ``number``'s content the page's current content, as a new revision."""
    check_version(page, expected_version, NOUN)
    data = revisions.data_from(revisions.get(page, number).state)
    if data.slug != page.slug:
        errors = _check_slug(data.slug, page)
        if errors:  # the old address belongs to another page now: keep the current one
            data = replace(data, slug=page.slug)
    return _save(page, data, f"Gendannet fra version {number}", actor, "restore")


def _save(page: Page | None, data: PageData, note: str, actor, action: str) -> Page:
    if page is not None:
        old = [
            r.old_slug
            for r in db.session.scalars(
                sa.select(PageRedirect).where(PageRedirect.page_id == page.id)
            )
        ]
        if data.slug != page.slug:
            old.append(page.slug)
        data = replace(
            data,
            redirect_from=tuple(s for s in dict.fromkeys(old) if s != data.slug),
            source_path=page.source_path,
            content_hash=page.content_hash,
        )
    with one_save_wins(NOUN):
        saved = pages.save(page, data, current_glossary(), actor, action, note)
    return saved.page


def mark_reviewed(page: Page, expected_version: int | None, actor) -> Page:
    """The owner has read the page and it is still true: today is its review date."""
    check_version(page, expected_version, NOUN)
    data = replace(revisions.data_of(page), reviewed=local_today())
    return _save(page, data, "Gennemgået og fundet korrekt", actor, "review")


def set_published(page: Page, published: bool, expected_version: int | None, actor) -> None:
    check_version(page, expected_version, NOUN)
    with one_save_wins(NOUN):
        pages.set_published(page, published, actor)
