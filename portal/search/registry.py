"""What can be searched. Each feature registers its sources with the app when the app is
created (per-app state); search imports no feature. A flush hook writes an outbox row for every
change to a registered model, in the same transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.search.models import SearchOutbox

# The kinds a user sees, in the order the results page lists them.
KINDS = {
    "vejviser": "Vejviser",
    "sagsgange": "Sagsgange",
    "kontaktpersoner": "Kontaktpersoner",
    "kalender": "Kalender",
    "nyheder": "Nyheder",
}


@dataclass(frozen=True)
class SearchDocument:
    source: str
    key: str
    kind: str  # one of KINDS
    title: str
    url: str
    administration: str = "both"
    summary: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    name: str = ""  # a person's name
    # A meeting: cancelled, or over after this moment (UTC; None: never, as an open series).
    # They rank below current ones; the index holds the moment, not whether it has passed.
    cancelled: bool = False
    past_after: datetime | None = None

    @property
    def doc_id(self) -> str:
        return f"{self.source}:{self.key}"

    @property
    def stamp(self) -> str:
        """A fingerprint of the document, to find index entries that are out of date."""
        parts = [
            self.kind,
            self.title,
            self.url,
            self.administration,
            self.summary,
            self.body,
            "|".join(self.tags),
            self.name,
            "cancelled" if self.cancelled else "",
            self.past_after.isoformat() if self.past_after else "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Source:
    """A searchable model. ``load(key)`` returns its document, or None when the thing is gone
    or must not be found (unpublished, deactivated)."""

    name: str
    models: tuple[type, ...]
    key_of: Callable[[Any], object]
    load: Callable[[str], SearchDocument | None]
    all_keys: Callable[[], Iterable[str]]
    fallback: Callable[[list[str]], list[SearchDocument]]  # a database search, when the index fails
    # Other models whose changes alter these documents through a relationship (a meeting's
    # document shows its organiser's name): (model, touched) pairs. ``touched(obj, deleted)``
    # returns the keys of the documents that a new, changed or deleted ``obj`` alters; it is
    # called before the flush, while the database still holds the relationship.
    related: tuple[tuple[type, Callable[[Any, bool], Iterable[object]]], ...] = ()
    # The documents a query names exactly, found in the database (a person's phone number or
    # e-mail address, which the index does not hold as words): the whole answer when any is.
    # None when the query is not such a name.
    named: Callable[[str], list[SearchDocument] | None] | None = None


def every_word_in(words: list[str], *columns) -> list:
    """Conditions for a fallback query: each word appears in at least one of the columns."""
    return [
        sa.or_(*(column.icontains(word, autoescape=True) for column in columns)) for word in words
    ]


@dataclass
class Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    synonym_providers: list[Callable[[], list[list[str]]]] = field(default_factory=list)

    def source_for(self, obj) -> Source | None:
        for source in self.sources.values():
            if isinstance(obj, source.models):
                return source
        return None


def init_app(app: Flask) -> None:
    app.extensions["portal_search"] = Registry()


def registry() -> Registry:
    """The current app's registry."""
    found: Registry = current_app.extensions["portal_search"]
    return found


def register_source(app: Flask, source: Source) -> None:
    app.extensions["portal_search"].sources[source.name] = source


def register_synonyms(app: Flask, provider: Callable[[], list[list[str]]]) -> None:
    """``provider()`` returns groups of words that mean the same ("BIF", "Beskæftigelses- og
    Integrationsforvaltningen"). Searches keep them per content version
    (``page_cache.remembered``): the feature watches the models they come from."""
    app.extensions["portal_search"].synonym_providers.append(provider)


def _changed_keys(session: Session) -> set[tuple[str, str]]:
    if not has_app_context() or "portal_search" not in current_app.extensions:
        return set()
    found = registry()
    changed = set()
    for obj in [*session.new, *session.dirty, *session.deleted]:
        source = found.source_for(obj)
        if source is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=True):
            continue
        key = source.key_of(obj)
        if key is not None:
            changed.add((source.name, str(key)))
    return changed


@event.listens_for(Session, "before_flush")
def _collect_related(session: Session, flush_context, instances) -> None:
    """The documents that change through a relationship, read before the flush (after it, an
    erased organiser's meetings no longer point to them)."""
    if not has_app_context() or "portal_search" not in current_app.extensions:
        return
    touched = session.info.setdefault("search_related", set())
    deleted = set(session.deleted)
    for source in registry().sources.values():
        for model, keys_of in source.related:
            for obj in [*session.new, *session.dirty, *deleted]:
                if isinstance(obj, model):
                    keys = keys_of(obj, obj in deleted)
                    touched.update((source.name, str(key)) for key in keys)


@event.listens_for(Session, "after_flush")
def _write_outbox(session: Session, flush_context) -> None:
    changed = _changed_keys(session) | session.info.pop("search_related", set())
    if changed:
        session.connection().execute(
            sa.insert(SearchOutbox),
            [{"source": s, "key": k, "created_at": utcnow()} for s, k in sorted(changed)],
        )
        session.info["search_outbox_written"] = True


@event.listens_for(Session, "after_commit")
def _mark_pending(session: Session) -> None:
    if session.info.pop("search_outbox_written", False):
        session.info["search_pending"] = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("search_outbox_written", None)
    session.info.pop("search_related", None)
