"""A ``Plan`` (``understanding``) as a Whoosh query, and the index's vocabulary for the
planner. Each slot is an OR of its alternatives, each alternative an AND of its words' stems,
each stem an OR over the weighted fields."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from whoosh import query as Q
from whoosh.matching import NullMatcher, WrappingMatcher

from portal.search.analysis import danish_analyzer, pair
from portal.search.engine import rare
from portal.search.understanding import PARTS, SYNONYM, Alternative, Plan, Slot

FIELD_BOOSTS = {"title": 6.0, "name": 6.0, "tags": 3.0, "summary": 2.0, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)
MAX_LOOKUPS = 120  # vocabulary look-ups per query: the planner's cost stays bounded
SUGGEST_MAX = 24
MAX_BODY_WORD = 30  # longer words are looked up among titles and names only


_analyzer = danish_analyzer(compounds=False)


class Term(Q.Term):
    """A term that counts its pages once per reader: Whoosh's OR orders its clauses by their
    estimated sizes at each level of the tree, so a deep query asked each term again at every
    level, in every segment (about two hundred counts for a question). A query is built for
    one search, so the readers it counts in do not change while it lives."""

    def estimate_size(self, ixreader) -> int:
        sizes = self.__dict__.setdefault("_sizes", {})  # shared by copies: keyed by the text
        key = (ixreader, self.fieldname, self.text)
        size = sizes.get(key)
        if size is None:
            known = self.fieldname in ixreader.schema
            size = sizes[key] = ixreader.doc_frequency(self.fieldname, self.text) if known else 0
        return size


class Or(Q.Or):
    """An OR that leaves out, in each segment, the clauses with no page there: Whoosh builds
    a matcher for every clause in every segment (a change's segment holds one page, and most
    of a question's words and synonyms are missing from most fields), which took much of a
    search's time. The same hits and scores: a clause with no page matches nothing."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        kept = [q for q in self.subqueries if q.estimate_size(reader)]
        if not kept:
            return NullMatcher()
        if len(kept) == len(self.subqueries):
            return super().matcher(searcher, context)
        if len(kept) == 1:  # as Whoosh's tree of two with an empty side: the boost is kept
            found = kept[0].matcher(searcher, context)
            return found if self.boost == 1 else WrappingMatcher(found, self.boost)
        fewer = copy.copy(self)
        fewer.subqueries = kept
        return super(Or, fewer).matcher(searcher, context)


class And(Q.And):
    """An AND that matches nothing in a segment where one of its clauses has no page."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not all(q.estimate_size(reader) for q in self.subqueries):
            return NullMatcher()
        return super().matcher(searcher, context)


@lru_cache(maxsize=50_000)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(t.text for t in _analyzer(word, mode="query"))


def stems(word: str) -> list[str]:
    return list(_stems(word))


class WhooshVocabulary:
    """What a reader's index knows, for the planner: look-ups are counted and capped."""

    def __init__(self, reader):
        self.reader = reader
        self.lookups = 0
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        if word in self._known:
            return self._known[word]
        if self.lookups >= MAX_LOOKUPS:
            return False
        self.lookups += 1
        found = self.reader.frequency("spelling", word) > 0
        if not found and len(word) <= MAX_BODY_WORD:
            found = any(
                self.reader.doc_frequency(name, stem) > 0
                for stem in stems(word)[:1]
                for name in ("body", "title")
            )
        self._known[word] = found
        return found

    def completions(self, prefix: str, limit: int) -> list[str]:
        terms = [t.decode("utf-8") for t in self.reader.expand_prefix("spelling", prefix)]
        terms = terms[:500]  # a short prefix of a large index: the first are enough
        terms.sort(key=lambda t: -self.reader.frequency("spelling", t))
        return terms[:limit]


def _stem_clause(stem: str, boost: float) -> Q.Query:
    return Or([Term(name, stem, boost=FIELD_BOOSTS[name] * boost) for name in TEXT_FIELDS])


@dataclass
class Built:
    """A plan's slots as queries, and each slot's terms (to count which slots a hit matched)."""

    slots: list[Q.Query] = field(default_factory=list)
    terms: list[set[tuple[str, str]]] = field(default_factory=list)
    literal: list[set[tuple[str, str]]] = field(default_factory=list)  # not through a synonym
    near: bool = False  # the plan has compound parts (see ``build``)

    def strict(self) -> Q.Query:
        return And(self.slots) if self.slots else Q.NullQuery

    def broad(self, reader) -> Q.Query:
        """Pages with any rare slot (``engine.rare``, from Whoosh's estimate of each slot's
        pages), ranked with the common ones too."""
        if not self.slots:
            return Q.NullQuery
        pages = [q.estimate_size(reader) for q in self.slots]
        chosen = rare(pages, reader.doc_count())
        required = Or([q for q, r in zip(self.slots, chosen, strict=True) if r])
        others = [q for q, r in zip(self.slots, chosen, strict=True) if not r]
        return Q.AndMaybe(required, Or(others)) if others else required

    def coverage(self, matched: set[tuple[str, str]]) -> float:
        """The share of the slots a hit matched (1.0 for a plan with no slots)."""
        if not self.terms:
            return 1.0
        return sum(1 for terms in self.terms if terms & matched) / len(self.terms)

    def literal_match(self, matched: set[tuple[str, str]]) -> bool:
        """Every slot the hit matched, it matched with the words typed (or their spellings
        and parts), not only through a synonym."""
        return all(lit & matched for terms, lit in zip(self.terms, self.literal, strict=True)
                   if terms & matched)  # fmt: skip


class _SpanNear(Q.SpanNear2):
    """SpanNear2 that can be a clause of an And (which asks its clauses for their size)."""

    def estimate_size(self, ixreader):
        return min(q.estimate_size(ixreader) for q in self.qs)


class _SpanOr(Q.SpanOr):
    def estimate_size(self, ixreader):
        return sum(q.estimate_size(ixreader) for q in self.subqs)


NEAR = 3  # with ``near``, compound parts typed as one word also as words this far apart


def _compound(alt: Alternative) -> bool:
    return bool(alt.also) or (len(alt.words) > 1 and alt.weight == PARTS)


def _alternative(alt: Alternative, near: bool) -> tuple[Q.Query | None, set[tuple[str, str]]]:
    if alt.prefix:
        word = alt.words[-1][:SUGGEST_MAX]
        return Term("suggest", word, boost=alt.weight), {("suggest", word)}
    positions: list[tuple[list[str], list[str]]] = []  # (stems, stand-ins) of each word
    for i, word in enumerate(alt.words):
        found = stems(word)
        if not found:
            continue
        others = [s for w in (alt.also[i] if i < len(alt.also) else ()) for s in stems(w)[:1]]
        positions.append((found, [s for s in dict.fromkeys(others) if s not in found]))
    if not positions:
        return None, set()
    options = [[found[0], *others] for found, others in positions]
    words = [stem for found, others in positions for stem in [*found, *others]]
    words += [p for a, b in itertools.pairwise(options) for p in _pairs(a, b)]
    terms = {(name, word) for word in words for name in TEXT_FIELDS}
    if _compound(alt):
        return _parts(positions, alt.weight, near), terms
    parts = [_stem_clause(stem, alt.weight) for found, _ in positions for stem in found]
    return (parts[0] if len(parts) == 1 else And(parts)), terms


def _pairs(first: list[str], second: list[str]) -> list[str]:
    """Each part of ``first`` with each of ``second``, as the index's pairs."""
    return [pair(a, b) for a in first for b in second]


def _parts(positions: list[tuple[list[str], list[str]]], weight: float, near: bool) -> Q.Query:
    """A compound's parts ("rusmiddel" + "behandling") in one field, as a compound made of them
    (``analysis.pairs``: one term for two neighbouring parts), and with ``near`` also as words
    at most ``NEAR`` apart, in any order; a part may be one of its synonyms ("misbrug" for
    "rusmiddel"). Spans read every page with both words, so only when few pages are found."""
    per_field = []
    for name in TEXT_FIELDS:
        options = [
            [Term(name, found[0]), *(Term(name, s, boost=SYNONYM) for s in others)]
            for found, others in positions
        ]
        if len(options) == 1:
            query: Q.Query = _any(options[0])
        else:
            query = And([_pair(first, second) for first, second in itertools.pairwise(options)])
            if near:
                spans = [o[0] if len(o) == 1 else _SpanOr(o) for o in options]
                query = Or([query, _SpanNear(spans, NEAR, False, 0)])
        query.boost = FIELD_BOOSTS[name] * weight
        per_field.append(query)
    return Or(per_field)


def _pair(first: list[Term], second: list[Term]) -> Q.Query:
    """Any part of ``first`` with any of ``second`` as a pair term (a synonym's weighs less)."""
    return _any(
        [
            Term(a.fieldname, pair(a.text, b.text), boost=min(a.boost, b.boost))
            for a in first
            for b in second
        ]
    )


def _any(queries: list[Q.Query]) -> Q.Query:
    return queries[0] if len(queries) == 1 else Or(queries)


def build(found: Plan, near: bool = False) -> Built:
    """With ``near`` false, ``Built.near`` says whether the plan has compound parts that
    ``near`` would also look for as words near each other."""
    built = Built()
    for slot in found.slots:
        query, terms = _slot(slot, near)
        if query is not None:
            built.slots.append(query)
            built.terms.append(terms)
            built.literal.append(_literal_terms(slot))
            built.near |= any(_compound(alt) and len(alt.words) > 1 for alt in slot.alternatives)
    return built


def _literal_terms(slot: Slot) -> set[tuple[str, str]]:
    literal: set[str] = set()
    for alt in slot.alternatives:
        if alt.weight <= SYNONYM:
            continue
        if alt.prefix:
            literal.add(alt.words[-1][:SUGGEST_MAX])
            continue
        found = [s for s in map(stems, alt.words) if s]
        literal |= {stem for s in found for stem in s}
        if _compound(alt):
            literal |= {p for a, b in itertools.pairwise(found) for p in _pairs(a[:1], b[:1])}
    return {(name, word) for word in literal for name in (*TEXT_FIELDS, "suggest")}


def _needs(alt: Alternative) -> frozenset[str] | None:
    """The stems a page must have to match a plain alternative (None: a prefix or compound)."""
    if alt.prefix or _compound(alt):
        return None
    return frozenset(stem for word in alt.words for stem in stems(word))


def _slot(slot: Slot, near: bool) -> tuple[Q.Query | None, set[tuple[str, str]]]:
    clauses, terms = [], set()
    kept: list[tuple[frozenset[str], float]] = []
    for alt in slot.alternatives:
        needs = _needs(alt)
        if needs is not None:
            # A synonym that finds only pages an earlier alternative finds, and weighs no more
            # ("jobcenter" and "jobcenter københavn" after the typed "jobcenter"), adds terms
            # to every segment's search and nothing to what is found.
            if any(k <= needs and weight >= alt.weight for k, weight in kept):
                continue
            kept.append((needs, alt.weight))
        query, alt_terms = _alternative(alt, near)
        if query is not None:
            clauses.append(query)
            terms |= alt_terms
    clauses = list(dict.fromkeys(clauses))  # synonyms with one stem ("jobcentret", "jobcentre")
    if not clauses:
        return None, terms
    return (clauses[0] if len(clauses) == 1 else Or(clauses)), terms
