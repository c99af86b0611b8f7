"""Revisions of guides and procedures: the whole state of a page after every save, as the
JSON of its front-matter words, so that any two can be compared and any one restored."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import sqlalchemy as sa

from portal.errors import NotFound
from portal.extensions import db
from portal.kb.content import GLOSSARY_SLUG
from portal.kb.models import GlossaryTerm, Page, PageRevision
from portal.kb.pagedata import PageData, StepData

SYSTEM_AUTHOR = "Indholdsfilerne"
# What a page is, apart from where it came from (its file) and its old addresses.
NOT_STATE = ("source_path", "content_hash", "redirect_from")
# Only in the glossary page's revisions: its terms (see ``terms_state``), not page data.
TERMS = "terms"


def data_of(page: Page) -> PageData:
    """The page as it is stored, in the words ``save_page`` takes."""
    return PageData(
        kind=page.kind,
        slug=page.slug,
        title=page.title,
        summary=page.summary,
        administration=page.administration,
        category=page.category,
        owner=page.owner,
        reviewed=page.reviewed,
        body=page.body_source,
        tags=tuple(page.tag_names),
        related=tuple(page.related_slugs or ()),
        trigger=page.trigger,
        steps=tuple(
            StepData(
                owner=s.owner,
                title=s.title,
                text=s.text_source,
                deadline=s.deadline,
                document=s.document,
                contact=s.contact,
                model_step=s.model_step,
            )
            for s in page.steps
        ),
        follows_model=page.follows_model,
        review_days=page.review_days,
        source_path=page.source_path,
        content_hash=page.content_hash,
    )


def state_of(data: PageData) -> dict:
    state = asdict(data)
    for name in NOT_STATE:
        state.pop(name)
    state["reviewed"] = data.reviewed.isoformat()
    return state


def terms_state() -> list[dict]:
    """The glossary's terms in the order they are kept (and exported), for the glossary page's
    revisions: a comparison of two revisions shows which terms changed."""
    return [
        {
            "term": t.term,
            "long": t.long_form,
            "synonyms": list(t.synonyms),
            "definition": t.definition,
        }
        for t in db.session.scalars(sa.select(GlossaryTerm).order_by(GlossaryTerm.id))
    ]


def data_from(state: dict) -> PageData:
    values = {k: v for k, v in state.items() if k not in NOT_STATE and k != TERMS}
    return PageData(
        **{
            **values,
            "reviewed": date.fromisoformat(values["reviewed"]),
            "tags": tuple(values.get("tags", ())),
            "related": tuple(values.get("related", ())),
            "steps": tuple(StepData(**s) for s in values.get("steps", ())),
        }
    )


def same_content(a: PageData, b: PageData) -> bool:
    """Whether two page data say the same (where they came from aside)."""
    return state_of(a) == state_of(b)


def record(page: Page, actor, action: str, note: str = "", data: PageData | None = None):
    """Add the page's state (or ``data``) as its next revision. Flushes."""
    number = (
        db.session.scalar(
            sa.select(sa.func.max(PageRevision.number)).where(PageRevision.page_id == page.id)
        )
        or 0
    ) + 1
    revision = PageRevision(
        page_id=page.id,
        number=number,
        action=action,
        note=note.strip()[:300],
        author_id=getattr(actor, "id", None),
        author_name=getattr(actor, "name", None) or SYSTEM_AUTHOR,
        published=page.published,
        state=state_of(data or data_of(page)),
    )
    if page.slug == GLOSSARY_SLUG:
        revision.state = {**revision.state, TERMS: terms_state()}
    db.session.add(revision)
    db.session.flush()
    return revision


def has_revisions(page: Page) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(PageRevision.page_id == page.id))))


def history(page: Page) -> list[PageRevision]:
    return list(
        db.session.scalars(
            sa.select(PageRevision)
            .where(PageRevision.page_id == page.id)
            .order_by(PageRevision.number.desc())
        )
    )


def get(page: Page, number: int) -> PageRevision:
    """:raises NotFound: if the page has no revision with that number."""
    revision = db.session.scalar(
        sa.select(PageRevision).where(
            PageRevision.page_id == page.id, PageRevision.number == number
        )
    )
    if revision is None:
        raise NotFound("Den version findes ikke.")
    return revision


def latest(page: Page) -> PageRevision | None:
    return db.session.scalar(
        sa.select(PageRevision)
        .where(PageRevision.page_id == page.id)
        .order_by(PageRevision.number.desc())
        .limit(1)
    )
