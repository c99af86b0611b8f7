"""Answering queries, with a database fallback when the index cannot be used. Keeping the
index true is in ``indexing.py``; the query log in ``querylog.py``."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app, has_request_context, request
from markupsafe import Markup, escape

from portal import page_cache
from portal.administration import chosen_filter, label
from portal.extensions import db
from portal.search import engine, indexing, synonyms
from portal.search.registry import KINDS, SearchDocument, registry
from portal.transaction import end_read

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
PER_PAGE = 10


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
        return label(self.administration)

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
    fallback: bool = False  # answered from the database, without the search engine
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "results": [r.as_json() for r in self.results],
            "suggestion": self.suggestion,
            "notice": self.notice,
            "fallback": self.fallback,
        }


def synonym_groups() -> list[list[str]]:
    """Groups of words that mean the same (from every provider, such as the glossary, and the
    everyday words shipped with the content); the first word of a group is its term."""
    return page_cache.remembered("synonyms", _provided) + synonyms.shipped()


def _provided() -> list[list[str]]:
    return [group for provider in registry().synonym_providers for group in provider()]


def _fallback(text: str, kind: str | None, administration: str | None, page: int):
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1][:8]
    sources = registry().sources.values() if words else []  # no words: nothing, not everything
    docs = [d for source in sources for d in source.fallback(words)]

    def score(doc: SearchDocument) -> int:  # crude, but titles first: this is the fallback
        fields = ((doc.title + " " + doc.name, 6), (doc.summary, 2), (doc.body, 1))
        return sum(weight * text.lower().count(w) for w in words for text, weight in fields)

    docs.sort(key=score, reverse=True)
    kinds = Counter(d.kind for d in docs)
    administrations = Counter(d.administration for d in docs)
    matching = [d for d in docs if _within(d, kind, administration)]
    start = (page - 1) * PER_PAGE
    results = [_result(d) for d in matching[start : start + PER_PAGE]]
    return results, len(matching), kinds, administrations


def search(
    text: str, kind: str | None = None, administration: str | None = None, page: int = 1
) -> SearchPage:
    """Search every kind. Never raises for a broken index: it falls back and says so. The query
    is bounded first (``engine.bounded``): no query costs more than the worst bounded one."""
    indexing.catch_up()  # what other servers committed
    text = engine.bounded(text)
    kind = kind if kind in KINDS else None
    administration = chosen_filter(administration)
    result = SearchPage(query=text, page=max(1, page))
    if not text:
        return result
    named = _named(text)
    if named:
        return _answer_named(result, named, kind, administration)
    rebuilding = True  # what the simpler answer below says, if it comes to that
    try:
        raw = _run_on_index(text, kind, administration, result.page)
    except engine.QueryFailed:
        log.warning("The search query failed; answering from the database", exc_info=True)
        raw, rebuilding = None, False
    except engine.Unavailable:
        log.warning("Search index unavailable; answering from the database", exc_info=True)
        raw = None
        end_read()  # the rebuild reads and writes in its own session
        try:
            indexing.rebuild_soon(current_app._get_current_object())  # type: ignore[attr-defined]
            raw = _run_on_index(text, kind, administration, result.page)
            result.notice = "Søgeindekset var ikke klar og er netop bygget igen."
        except Exception:
            log.warning("Rebuild did not help; answering from the database", exc_info=True)
    if raw is None:
        results, total, kinds, administrations = _fallback(text, kind, administration, page)
        result.results, result.total = results, total
        result.kind_counts, result.administration_counts = dict(kinds), dict(administrations)
        result.fallback = True
        because = ", fordi søgeindekset bygges igen" if rebuilding else ""
        result.notice = (
            f"Søgningen kører i en enklere udgave lige nu{because}. "
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
        if raw.fuzzy and named is not None:  # a number or address nobody has: no near misses
            return SearchPage(query=text)
        if raw.fuzzy:
            result.notice = (
                "Ingen sider indeholdt alle ordene. Her er sider med nogle af ordene "
                "eller ord, der ligner."
            )
    if result.total and result.page > result.pages:  # "side 99 af 3": the last page instead
        return search(text, kind, administration, result.pages)
    return result


def _within(doc: SearchDocument, kind: str | None, administration: str | None) -> bool:
    return (not kind or doc.kind == kind) and (
        not administration or doc.administration in (administration, "both")
    )


def _result(doc: SearchDocument) -> Result:
    return Result(doc.kind, doc.title, doc.url, escape(doc.summary[:240]), doc.administration)


def _named(text: str) -> list[SearchDocument] | None:
    """What the query names exactly (a contact person's phone number or e-mail address); None
    when it is no such name. The index holds no such words: its answer for "30 13 01 07" was
    pages that happen to hold "30"."""
    answers = [s.named(text) for s in registry().sources.values() if s.named]
    found = [docs for docs in answers if docs is not None]
    return [doc for docs in found for doc in docs] if found else None


def _answer_named(
    result: SearchPage, named: list[SearchDocument], kind: str | None, administration: str | None
) -> SearchPage:
    """The named documents within the filters, on one page; the filters count all of them."""
    shown = [doc for doc in named if _within(doc, kind, administration)]
    result.page = 1
    result.results = [_result(doc) for doc in shown]
    result.total = len(shown)
    result.kind_counts = dict(Counter(doc.kind for doc in named))
    result.administration_counts = dict(Counter(doc.administration for doc in named))
    return result


def _run_on_index(text, kind, administration, page):
    found = engine.current()
    try:
        return found.query(text, synonym_groups(), kind, administration, page, PER_PAGE)
    except engine.QueryFailed:
        _recover(found)
        raise
    except engine.Unavailable:
        raise
    except Exception as exc:  # a damaged segment shows up as anything from EOFError to KeyError
        _recover(found)
        raise engine.Unavailable(repr(exc)) from exc


def _recover(found: engine.Engine) -> None:
    """After an engine failed: forget its handles, and end a read transaction that a failed
    statement spoiled (PostgreSQL refuses every statement after one fails)."""
    found.reset()
    if not has_request_context() or request.method in ("GET", "HEAD"):
        db.session.rollback()


def matching_keys(text: str, source: str) -> tuple[list[str], list[str]] | None:
    """The keys of ``source``'s documents that ``search(text)`` finds (every page), best
    first: those matching every word, and those the broader search adds when few do (as the
    search page lists them after the others). None when the index cannot answer now (the
    caller searches its own way)."""
    indexing.catch_up()
    text = engine.bounded(text)
    if not text:
        return [], []
    try:
        strict, broader = engine.current().matching_ids(text, synonym_groups(), source)
    except Exception:
        log.warning("Search index unavailable for %s; the caller falls back", source, exc_info=True)
        _recover(engine.current())
        return None
    return [i.split(":", 1)[1] for i in strict], [i.split(":", 1)[1] for i in broader]


def suggest(text: str, limit: int = 8) -> list[dict]:
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    try:
        return engine.current().suggest(text, limit)
    except Exception:
        log.warning("Suggestions unavailable", exc_info=True)
        _recover(engine.current())
        return []
