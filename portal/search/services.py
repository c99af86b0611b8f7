"""Search for the rest of the app: keeping the index true (outbox, rebuild, check), and
answering queries, with a database fallback when the index cannot be used."""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from markupsafe import Markup, escape

from portal.db import utcnow
from portal.extensions import db
from portal.search import engine
from portal.search.models import SearchLog, SearchOutbox
from portal.search.registry import ADMINISTRATIONS, KINDS, SearchDocument, registry
from portal.text import CPR_RE

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
PER_PAGE = 10
BATCH = 200  # documents read per database transaction during a rebuild
PARALLEL_FROM = 1000  # a rebuild of this many documents or more indexes in parallel
PARALLEL_PROCS = min(2, os.cpu_count() or 1)


def _directory() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


def _timeout() -> float:
    return current_app.config["SEARCH_WRITER_TIMEOUT"]


def _load(source: str, key: str) -> SearchDocument | None:
    found = registry.sources.get(source)
    return found.load(key) if found else None


# Keeping the index true


def apply_pending(limit: int = 1000) -> int:
    """Apply outbox rows to the index: re-read each thing's current state once the writer lock
    is held, write, then delete exactly the rows that were applied. Returns how many.

    If the index is missing or damaged it is rebuilt; if another writer holds the lock past
    the timeout, the rows stay for the next call.
    """
    rows = db.session.execute(
        sa.select(SearchOutbox.id, SearchOutbox.source, SearchOutbox.key)
        .order_by(SearchOutbox.id)
        .limit(limit)
    ).all()
    db.session.commit()  # release the database before waiting for the index lock
    if not rows:
        return 0
    ids = [row.id for row in rows]
    pairs = list(dict.fromkeys((row.source, row.key) for row in rows))

    def changes() -> Iterator[tuple[str, SearchDocument | None]]:
        for source, key in pairs:
            yield f"{source}:{key}", _load(source, key)

    try:
        engine.write(_directory(), changes(), _timeout())
    except engine.IndexUnavailable:
        log.warning("Search index unusable; rebuilding it")
        return rebuild()
    except engine.LockError:
        log.warning("Search index is locked; %d changes wait for the next writer", len(ids))
        db.session.rollback()
        return 0
    db.session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id.in_(ids)))
    db.session.commit()
    return len(ids)


def _all_documents(progress: Callable[[int], None] | None) -> Iterator[SearchDocument]:
    for source in registry.sources.values():
        keys = list(source.all_keys())
        for number, key in enumerate(keys, start=1):
            doc = source.load(key)
            if doc is not None:
                yield doc
            if progress:
                progress(1)
            if number % BATCH == 0:
                db.session.commit()  # short read transactions: writers are not held up


def count_all() -> int:
    total = sum(len(list(source.all_keys())) for source in registry.sources.values())
    db.session.commit()
    return total


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Build the whole index again from the database and replace the old one atomically."""
    directory = _directory()
    last = db.session.scalar(sa.select(sa.func.max(SearchOutbox.id))) or 0
    try:
        engine.open_index(directory, create=True)
    except engine.IndexUnavailable:
        engine.create_empty(directory)
    docs = ((doc.doc_id, doc) for doc in _all_documents(progress))
    procs = PARALLEL_PROCS if count_all() >= PARALLEL_FROM else 1
    count = engine.write(directory, docs, timeout=max(_timeout(), 30), clear=True, procs=procs)
    db.session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id <= last))
    db.session.commit()
    return count


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    stale: list[str] = field(default_factory=list)  # in both, but the index is out of date
    pending: int = 0  # outbox rows not yet applied
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.pending or self.error)


def check() -> CheckReport:
    """Compare the database with the index."""
    report = CheckReport()
    expected = {doc.doc_id: engine.stamp(doc) for doc in _all_documents(None)}
    report.pending = db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) or 0
    db.session.commit()
    try:
        actual = engine.stored_stamps(_directory())
    except engine.IndexUnavailable as exc:
        report.error = str(exc)
        report.missing = sorted(expected)
        return report
    report.missing = sorted(set(expected) - set(actual))
    report.extra = sorted(set(actual) - set(expected))
    report.stale = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    return report


_rebuilding = threading.Lock()


def _rebuild_soon(app: Flask) -> None:
    """Rebuild a damaged index: at once in tests, in a background thread in a server."""
    if not app.config["SEARCH_REBUILD_IN_BACKGROUND"]:
        try:
            rebuild()
        except Exception:
            db.session.rollback()
            log.exception("Rebuilding the search index failed")
            raise
        return
    if not _rebuilding.acquire(blocking=False):
        return

    def work():
        try:
            with app.app_context():
                rebuild()
        except Exception:
            log.exception("Rebuilding the search index failed")
        finally:
            _rebuilding.release()

    threading.Thread(target=work, name="search-rebuild", daemon=True).start()


# Answering queries


@dataclass
class Result:
    kind: str
    title: str
    url: str
    snippet: Markup
    administration: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def administration_label(self) -> str:
        return ADMINISTRATIONS.get(self.administration, self.administration)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "snippet": str(self.snippet),
            "administration": self.administration,
        }


@dataclass
class SearchPage:
    query: str
    page: int = 1
    total: int = 0
    results: list[Result] = field(default_factory=list)
    kind_counts: dict[str, int] = field(default_factory=dict)
    administration_counts: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None
    notice: str | None = None  # why the results are broader or simpler than asked
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _synonym_groups() -> list[list[str]]:
    return [group for provider in registry.synonym_providers for group in provider()]


def _fallback(text: str, kind: str | None, administration: str | None, page: int):
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1][:8]
    docs = [d for source in registry.sources.values() for d in source.fallback(words)]

    def score(doc: SearchDocument) -> int:  # crude, but titles first: this is the fallback
        fields = ((doc.title + " " + doc.name, 6), (doc.summary, 2), (doc.body, 1))
        return sum(weight * text.lower().count(w) for w in words for text, weight in fields)

    docs.sort(key=score, reverse=True)
    kinds = Counter(d.kind for d in docs)
    administrations = Counter(d.administration for d in docs)
    matching = [
        d for d in docs
        if (not kind or d.kind == kind)
        and (not administration or d.administration in (administration, "both"))
    ]  # fmt: skip
    start = (page - 1) * PER_PAGE
    results = [
        Result(d.kind, d.title, d.url, escape(d.summary[:240]), d.administration)
        for d in matching[start : start + PER_PAGE]
    ]
    return results, len(matching), kinds, administrations


def search(
    text: str, kind: str | None = None, administration: str | None = None, page: int = 1
) -> SearchPage:
    """Search every kind. Never raises for a broken index: it falls back and says so."""
    text = " ".join(text.split())
    kind = kind if kind in KINDS else None
    administration = administration if administration in ("BIF", "SOF") else None
    result = SearchPage(query=text, page=max(1, page))
    if not text:
        return result
    try:
        raw = _run_on_index(text, kind, administration, result.page)
    except engine.IndexUnavailable:
        log.warning("Search index unavailable; answering from the database", exc_info=True)
        db.session.rollback()
        raw = None
        try:
            _rebuild_soon(current_app._get_current_object())
            raw = _run_on_index(text, kind, administration, result.page)
            result.notice = "Søgeindekset var ikke klar og er netop bygget igen."
        except Exception:
            log.warning("Rebuild did not help; answering from the database", exc_info=True)
            db.session.rollback()
    if raw is None:
        results, total, kinds, administrations = _fallback(text, kind, administration, page)
        result.results, result.total = results, total
        result.kind_counts, result.administration_counts = dict(kinds), dict(administrations)
        result.notice = (
            "Søgningen kører i en enklere udgave lige nu, fordi søgeindekset bygges igen. "
            "Resultaterne kan være færre og mindre præcise."
        )
    else:
        result.results = [
            Result(h.kind, h.title, h.url, h.snippet, h.administration) for h in raw.hits
        ]
        result.total = raw.total
        result.kind_counts = dict(raw.facets["kind"])
        result.administration_counts = dict(raw.facets["administration"])
        result.suggestion = raw.suggestion
        if raw.fuzzy:
            result.notice = (
                "Ingen sider indeholdt alle ordene. Her er sider med nogle af ordene "
                "eller ord, der ligner."
            )
    _log(text, result.total)
    return result


def _run_on_index(text, kind, administration, page):
    try:
        return engine.run(
            _directory(), text, _synonym_groups(), kind, administration, page, PER_PAGE
        )
    except engine.IndexUnavailable:
        raise
    except Exception as exc:  # a damaged segment shows up as anything from EOFError to KeyError
        engine.forget(_directory())
        raise engine.IndexUnavailable(repr(exc)) from exc


def suggest(text: str, limit: int = 8) -> list[dict]:
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    try:
        return engine.suggest(_directory(), text, limit)
    except Exception:
        log.warning("Suggestions unavailable", exc_info=True)
        engine.forget(_directory())
        return []


# The query log


def clean_for_log(text: str) -> str:
    """Lowercase and shortened, with anything that looks like a CPR number removed."""
    text = CPR_RE.sub(" ", text.lower())
    text = re.sub(r"\d{6,}", " ", text)  # long digit runs may be a CPR number in disguise
    return " ".join(text.split())[:200]


def _log(text: str, results: int) -> None:
    cleaned = clean_for_log(text)
    if cleaned:
        db.session.add(SearchLog(query=cleaned, results=results))


@dataclass
class SearchStats:
    searches: int
    without_results: int
    top: list[tuple[str, int]]
    top_without_results: list[tuple[str, int]]


def stats(days: int = 90, limit: int = 20) -> SearchStats:
    since = utcnow() - timedelta(days=days)
    recent = SearchLog.at >= since

    def top(*conditions):
        rows = db.session.execute(
            sa.select(SearchLog.query, sa.func.count().label("n"))
            .where(recent, *conditions)
            .group_by(SearchLog.query)
            .order_by(sa.desc("n"), SearchLog.query)
            .limit(limit)
        ).all()
        return [(row.query, row.n) for row in rows]

    count = sa.select(sa.func.count(SearchLog.id)).where(recent)
    return SearchStats(
        searches=db.session.scalar(count) or 0,
        without_results=db.session.scalar(count.where(SearchLog.results == 0)) or 0,
        top=top(),
        top_without_results=top(SearchLog.results == 0),
    )
