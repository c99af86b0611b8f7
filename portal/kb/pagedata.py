"""A page in the words of its front matter (see content/README.md): what a content file, the
browser's edit form and a revision each hold, and what ``pages.save_page`` takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
    review_days: int | None = None  # None: the installation's PORTAL_REVIEW_AFTER_DAYS
    source_path: str | None = None
    content_hash: str = ""
