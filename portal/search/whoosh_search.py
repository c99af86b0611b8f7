"""Queries on the Whoosh index (``WhooshEngine``): the planned query (``understanding``) as
the strict and broader searches, ranking (``ranking``), highlighting, facets, "mente du" and
suggestions."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import replace

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query as Q
from whoosh.collectors import TimeLimit, WrappingCollector

from portal.search import highlighting, ranking, understanding
from portal.search.analysis import danish_analyzer
from portal.search.engine import (
    BROADER_LIMIT,
    COMMON_PAGES,
    FEW,
    FUZZY_WEIGHT,
    FUZZY_WORDS,
    NEAR_BELOW,
    NEAR_TERMS,
    RESULT_CAP,
    Hit,
    RawResults,
    corrected,
    fuzzy_candidate,
)
from portal.search.index import searcher
from portal.search.whoosh_query import FIELD_BOOSTS, Built, Or, Term, WhooshVocabulary, build

log = logging.getLogger(__name__)

# Whatever the query, collecting its hits stops after this many seconds with what it has.
TIME_BUDGET = 0.25

FUZZY_FIELDS = ("title", "summary", "body")


def near_terms(reader, fieldname: str, word: str, maxdist: int, prefix: int) -> list[str]:
    """The field's words that begin with the same ``prefix`` letters as ``word`` and are at
    most ``maxdist`` edits from it (two swapped letters count as one edit), closest first and,
    at the same distance, the most frequent first."""
    candidates = [t.decode("utf-8") for t in reader.expand_prefix(fieldname, word[:prefix])]
    candidates = [t for t in candidates if "+" not in t]  # a compound's pairs are no words
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    found.sort(key=lambda m: (m[1], -reader.frequency(fieldname, m[0])))
    return [term for term, _, _ in found]


def _add_fuzzy(reader, found: understanding.Plan, built: Built) -> None:
    """Add words one or two edits away to each slot, when no page matched every word. The
    first two letters must match: typos rarely start a word, and it keeps the candidates few.
    Only the first few ordinary words are looked for fuzzily."""
    analyzer = danish_analyzer(compounds=False)
    fuzzy = [s.text for s in found.slots if fuzzy_candidate(s.text)][:FUZZY_WORDS]
    for i, slot in enumerate(found.slots[: len(built.slots)]):
        if slot.text not in fuzzy:
            continue
        clauses: list[Q.Query] = []
        for token in analyzer(slot.text, mode="query"):
            distance = 2 if len(token.text) >= 8 else 1
            for name in FUZZY_FIELDS:
                near = near_terms(reader, name, token.text, distance, prefix=2)[:NEAR_TERMS]
                boost = FIELD_BOOSTS[name] * FUZZY_WEIGHT
                clauses += [Term(name, term, boost=boost) for term in near]
                built.terms[i] |= {(name, term) for term in near}
        if clauses:
            built.slots[i] = Or([built.slots[i], *clauses])


def _built(s, text: str, synonyms: list[list[str]]) -> tuple[understanding.Plan, Built, str]:
    """The query planned against this index's vocabulary; a last word that the index does not
    know is also read as the start of a word ("misb", as the suggestions read it)."""
    vocabulary = WhooshVocabulary(s.reader())
    found = understanding.plan(text, synonyms, vocabulary)
    if found.slots:
        last = found.slots[-1]
        known = any(vocabulary.knows(word) for alt in last.alternatives for word in alt.words)
        if not known:
            prefixed = understanding.with_prefix(found, vocabulary)
            if prefixed is not None:
                return prefixed, build(prefixed), last.text
    return found, build(found), ""


def _found(s, text: str, synonyms: list[list[str]]):
    """The strict results, every hit with the results it came from, best first, and the last
    word if it was read as the start of a word."""
    found, built, prefix = _built(s, text, synonyms)
    reader = s.reader()
    strict = _within_budget(s, built.strict(), RESULT_CAP, every=True)
    broader = built
    if strict.scored_length() < NEAR_BELOW and built.near:
        # A compound's parts also as words near each other: spans that Whoosh checks
        # position by position on every page with both words, so only when few are found,
        # and not where the parts are common words (Whoosh's estimate: an upper bound).
        wider = build(found, near=True)
        if wider.strict().estimate_size(reader) <= COMMON_PAGES:
            strict = _within_budget(s, wider.strict(), RESULT_CAP, every=True)
            # In the broader search, where any slot may match, the same for each slot.
            slots = [
                near if near.estimate_size(reader) <= COMMON_PAGES else plain
                for plain, near in zip(built.slots, wider.slots, strict=True)
            ]
            broader = replace(built, slots=slots)
    hits = [(hit, strict) for hit in strict]
    broad_hits = []
    if (len(hits) < FEW and len(built.slots) > 1) or not hits:
        if not hits:
            _add_fuzzy(reader, found, broader)
        # Only to fill out the first page: a small limit lets Whoosh skip weak blocks.
        broad = _within_budget(s, broader.broad(reader), BROADER_LIMIT)
        seen = {hit["id"] for hit, _ in hits}
        broad_hits = [(hit, broad) for hit in broad if hit["id"] not in seen]
    return strict, _ranked(s, hits, built) + _ranked(s, broad_hits, built), prefix


def _ranked(s, hits: list, built: Built) -> list:
    """``hits`` in the order of ``ranking``: kinds, meetings' state, and the share of the
    query's words each matched; hits found only through a synonym come after the others."""
    if not hits:
        return hits
    reader = s.reader()
    kinds = reader.column_reader("kind")
    cancelled = reader.column_reader("cancelled")
    past_after = reader.column_reader("past_after")
    now = time.time()

    def key(item):
        hit, _ = item
        matched = {(f, t.decode("utf-8")) for f, t in (hit.matched_terms() or ())}
        until = past_after[hit.docnum]
        signals = ranking.Signals(
            kind=kinds[hit.docnum],
            by_name=any(f == "name" for f, _ in matched),
            cancelled=cancelled[hit.docnum] == "1",
            past=bool(until) and until < now,
            coverage=built.coverage(matched),
        )
        return (not built.literal_match(matched), -ranking.adjusted(hit.score or 0.0, signals))

    return sorted(hits, key=key)


def matching_ids(
    directory: str, text: str, synonyms: list[list[str]], source: str
) -> tuple[list[str], list[str]]:
    """The ids of ``source``'s documents that ``run`` finds for ``text`` (every page), best
    first: those that match every word, and those found by the broader search that follows
    when few do. A feature's own search box finds what the search page finds."""
    strict, found, _ = _found(searcher(directory), text, synonyms)
    ids = [(hit["id"], results is strict) for hit, results in found if hit["source"] == source]
    return [i for i, every in ids if every], [i for i, every in ids if not every]


def run(
    directory: str,
    text: str,
    synonyms: list[list[str]],
    kind: str | None,
    administration: str | None,
    page: int,
    per_page: int,
) -> RawResults:
    """All words must match (AND). When that finds fewer than ``FEW`` hits, hits for any of
    the words follow (OR); when it finds none, hits for words like them (OR, fuzzy), and
    ``fuzzy`` says so."""
    s = searcher(directory)
    strict, found, prefix = _found(s, text, synonyms)
    kinds = s.reader().column_reader("kind")
    administrations = s.reader().column_reader("administration")
    facets: dict[str, Counter[str]] = {"kind": Counter(), "administration": Counter()}
    matching = []
    for hit, results in found:
        hit_kind, hit_administration = kinds[hit.docnum], administrations[hit.docnum]
        facets["kind"][hit_kind] += 1
        facets["administration"][hit_administration] += 1
        if kind and hit_kind != kind:
            continue
        if administration and hit_administration not in (administration, "both"):
            continue
        matching.append((hit, results))
    start = (page - 1) * per_page
    shown = matching[start : start + per_page]
    highlighting.shown_alone(shown)
    hits = [
        Hit(
            h["id"],
            h["kind"],
            h["title"],
            h["url"],
            h["administration"],
            highlighting.snippet(h, r.has_matched_terms(), kinds[h.docnum]),
        )
        for h, r in shown
    ]
    return RawResults(
        hits=hits,
        total=len(matching),
        facets=facets,
        fuzzy=strict.is_empty() and bool(found),
        # a word start that found words ("misb") is not a misspelling
        suggestion=_spelling(s, text, skip=prefix if found else ""),
    )


def _within_budget(s, query, limit: int, every: bool = False):
    """The query's best hits with the query's terms each has, or the best found within
    ``TIME_BUDGET`` seconds.

    With ``every`` (the strict search: all its hits up to ``limit`` are wanted), a query on
    many pages reads its ORs' scores ahead into arrays (Whoosh's ``ARRAY_MATCHER``) and
    records the terms afterwards from their postings: Whoosh's ``terms=True`` steps a tree of
    unions page by page and asks every term at each (half of such a query's time), and its
    block-quality skipping only costs where nearly every page is scored. Other queries are
    stepped, which skips the pages they need not read (an array reads every page of a common
    word; the strict search with near words is never on many pages)."""
    many = every and query.estimate_size(s.reader()) > COMMON_PAGES
    if many:
        _read_ahead(query)
    collector = Deadline(s.collector(limit=limit, terms=not many, optimize=not many))
    try:
        s.search_with_collector(query, collector)
    except TimeLimit:
        log.warning("search stopped after %s s: %s", TIME_BUDGET, query)
    results = collector.results()
    if many:
        _record_terms(s.reader(), query, results)
    return results


class Deadline(WrappingCollector):
    """Stops with ``TimeLimit`` once ``TIME_BUDGET`` seconds have passed, reading the clock
    before each hit: Whoosh's ``TimeLimitCollector`` started a timer thread for every search
    to set a flag read at the same place (SIGALRM works only in a main thread)."""

    def prepare(self, top_searcher, q, context) -> None:
        self.child.prepare(top_searcher, q, context)
        self.deadline = time.monotonic() + TIME_BUDGET

    def collect_matches(self) -> None:
        child = self.child
        for sub_docnum in child.matches():
            if time.monotonic() >= self.deadline:
                raise TimeLimit
            child.collect(sub_docnum)


def _read_ahead(query) -> None:
    if isinstance(query, Q.Or):
        query.matcher_type = Q.Or.ARRAY_MATCHER
    for child in query.children():
        _read_ahead(child)


def _record_terms(reader, query, results) -> None:
    """Which of the query's terms each hit has, as Whoosh's ``terms=True`` records them (for
    the ranking and the highlights)."""
    hits = {docnum for _, docnum in results.top_n}
    termdocs: dict[tuple[str, bytes], list[int]] = {}
    docterms: dict[int, list[tuple[str, bytes]]] = {}
    for fieldname, text in set(query.iter_all_terms()):
        if (fieldname, text) not in reader:
            continue
        found = hits.intersection(reader.postings(fieldname, text).all_ids())
        if found:
            term = (fieldname, text.encode("utf-8"))
            termdocs[term] = sorted(found)
            for docnum in found:
                docterms.setdefault(docnum, []).append(term)
    results.termdocs, results.docterms = termdocs, docterms


def _spelling(s, text: str, skip: str = "") -> str | None:
    """A corrected query from the unstemmed spelling field, or None if every word is known."""
    reader = s.reader()

    def closest(word: str) -> str | None:
        options = near_terms(reader, "spelling", word, maxdist=2, prefix=1)
        return options[0] if options else None

    return corrected(text, skip, lambda word: reader.frequency("spelling", word) > 0, closest)


def suggest(directory: str, text: str, limit: int) -> list[dict]:
    words = re.findall(r"\w+", text.lower())[:6]
    if not words:
        return []
    s = searcher(directory)
    query = Q.And([Q.Term("suggest", w[:24]) for w in words])
    return [
        {"title": h["title"], "url": h["url"], "kind": h["kind"]}
        for h in s.search(query, limit=limit)
    ]
