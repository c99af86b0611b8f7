"""Queries on the PostgreSQL engine: the planned query as the strict and broader searches,
ranked by ``ts_rank_cd`` with the field weights and then by the ranking rules (``ranking``),
highlights from ``ts_headline``, facets, "Mente du" and suggestions."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup, escape

from portal.extensions import db
from portal.search import ranking, understanding
from portal.search.analysis import DANISH_STOPWORDS
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
from portal.search.postgres import counts, tsquery, vocabulary
from portal.search.postgres.lexemes import START, STOP, WEIGHTS, quoted
from portal.search.understanding import SYNONYM, Alternative, Plan, Slot
from portal.search.whoosh_query import SUGGEST_MAX, stems

PERSON_KIND = "kontaktpersoner"
# Pages ranked by all their lexemes: where more match, the rest are those whose title, name,
# tags and summary (``head``) rank lower (exact up to this many matches)
CANDIDATES = 300
RANKED = 100  # strict hits ranked when no filter is chosen (more when a later page is asked)
# ts_rank_cd's normalisation: a strict hit's score is divided by 1 + the log of its length; a
# broader hit's (some of the words) by its length, as BM25 would: a short page with those
# words is about them, a long one (the glossary) mentions them in passing. Measured on the
# relevance queries and questions: 45 of 46 and 30 of 30 (dividing by 1 + log: 44 and 30).
NORMALIZATION = 1
BROAD_NORMALIZATION = 2
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=12"
HEADLINE_ALL = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"


@dataclass
class Row:
    id: str
    source: str
    kind: str
    administration: str
    cancelled: bool
    past_after: object
    name: str
    score: float


Matched = list[list[tuple[float, bool]]]  # per slot: (weight, whether an alternative matched)


def _rows(
    where: str, built: tsquery.Built, limit: int, normalization: int = NORMALIZATION
) -> list[tuple[Row, Matched]]:
    """The documents matching ``where``, best ``ts_rank_cd`` first, each with, per slot, which
    of its weights' alternatives it matched."""
    params: dict[str, object] = {"where": where, "any": built.rank(), "limit": limit}
    flags: list[str] = []
    layout: list[list[tuple[float, str]]] = []
    for i, slot in enumerate(built.slots):
        layout.append([])
        for j, (weight, query) in enumerate(slot.by_weight.items()):
            params[f"f{i}_{j}"] = query
            flags.append(f"lexemes @@ CAST(:f{i}_{j} AS tsquery) AS f{i}_{j}")
            layout[-1].append((weight, f"f{i}_{j}"))

    # Ranked by the small ``head`` lexemes first, then the best ``CANDIDATES`` by all of them
    # (read from TOAST, ~15 µs a page), then only the best ``limit`` read whole and checked
    # against each slot. Only generated names and constants are formatted in.
    def rank(column: str) -> str:
        return f"ts_rank_cd('{WEIGHTS}', {column}, CAST(:any AS tsquery), {normalization:d})"

    candidates = (
        "SELECT id AS candidate FROM search_document"  # noqa: S608
        f" WHERE terms @@ CAST(:where AS tsquery) ORDER BY {rank('head')} DESC, id"
        " LIMIT :candidates"
    )
    ranked = (
        f"SELECT id AS best, {rank('terms')} AS score"  # noqa: S608
        f" FROM ({candidates}) AS c JOIN search_document ON id = candidate"
        " ORDER BY score DESC, id LIMIT :limit"
    )
    params["candidates"] = max(CANDIDATES, limit)
    columns = "id, source, kind, administration, cancelled, past_after, name, score"
    # Each function given ``terms`` reads it from TOAST again: the slots' checks read a copy
    sql = sa.text(
        f"SELECT {columns}{''.join(', ' + f for f in flags)} FROM ({ranked}) AS ranked"  # noqa: S608
        " JOIN search_document ON id = best"
        " CROSS JOIN LATERAL (SELECT terms || ''::tsvector AS lexemes OFFSET 0) AS copied"
        " ORDER BY score DESC, id"
    )
    found = []
    for row in db.session.execute(sql, params).mappings():
        matched = [[(weight, bool(row[name])) for weight, name in slot] for slot in layout]
        found.append((Row(**{k: row[k] for k in Row.__annotations__}), matched))
    return found


def _ranked(rows, built: tsquery.Built) -> list[Row]:
    now = time.time()

    def key(item):
        row, matched = item
        weights = [max((w for w, hit in slot if hit), default=0.0) for slot in matched]
        hits = [w for w in weights if w > 0]
        coverage = len(hits) / len(weights) if weights else 1.0
        literal = all(w > SYNONYM for w in hits)
        by_name = bool(row.name) and bool(
            {s for word in row.name.lower().split() for s in stems(word)} & built.literal_stems
        )
        signals = ranking.Signals(
            kind=row.kind,
            by_name=by_name,
            cancelled=row.cancelled,
            past=row.past_after is not None and row.past_after.timestamp() < now,
            coverage=coverage,
        )
        score = row.score * (sum(hits) / len(hits) if hits else 0.0)
        return (not literal, -ranking.adjusted(score, signals))

    return [row for row, _ in sorted(rows, key=key)]


def _with_fuzzy(found: Plan, voc: vocabulary.PostgresVocabulary) -> Plan:
    """The plan with words one or two edits away added to the first few ordinary words."""
    fuzzy = [s.text for s in found.slots if fuzzy_candidate(s.text)][:FUZZY_WORDS]
    slots = []
    for slot in found.slots:
        near = []
        if slot.text in fuzzy:
            distance = 2 if len(slot.text) >= 8 else 1
            near = vocabulary.near_words(slot.text, distance, prefix=2, limit=NEAR_TERMS)
        extra = tuple(Alternative((w,), FUZZY_WEIGHT) for w in near)
        slots.append(Slot(slot.text, slot.alternatives + extra))
    return Plan(tuple(slots), found.dropped)


def _planned(text: str, synonyms: list[list[str]]):
    voc = vocabulary.PostgresVocabulary()
    voc.prefetch(understanding.words_of(text))
    found = understanding.plan(text, synonyms, voc)
    prefix = ""
    if found.slots:
        last = found.slots[-1]
        if not any(voc.knows(w) for alt in last.alternatives for w in alt.words):
            prefixed = understanding.with_prefix(found, voc)
            if prefixed is not None:
                found, prefix = prefixed, last.text
    return found, voc, prefix


def found(
    text: str, synonyms: list[list[str]], limit: int = RESULT_CAP
) -> tuple[list[Row], list[Row], str, tsquery.Built]:
    """The strict hits (the ``limit`` best by text) and every hit (strict first, then the
    broader ones), best first, the last word if it was read as a word start, and the query."""
    plan, voc, prefix = _planned(text, synonyms)
    built = tsquery.build(plan)
    if not built.slots:
        return [], [], prefix, built
    strict = _rows(built.strict(), built, limit)
    near = False
    if len(strict) < NEAR_BELOW and built.near:
        # A compound's parts also as words near each other: a query PostgreSQL must check
        # position by position on every page with both words, so only when few are found,
        # and not where the parts are common words (``counts.at_most``)
        wider = tsquery.build(plan, near=True)
        if counts.at_most(wider.strict(), COMMON_PAGES):
            built, near = wider, True
            strict = _rows(built.strict(), built, limit)
    broad: list = []
    if (len(strict) < FEW and len(built.slots) > 1) or not strict:
        if not strict:
            built = tsquery.build(_with_fuzzy(plan, voc), near=near)
        seen = {row.id for row, _ in strict}
        where = counts.selective(built)
        broad = [
            r
            for r in _rows(where, built, BROADER_LIMIT, BROAD_NORMALIZATION)
            if r[0].id not in seen
        ]
    strict_rows = _ranked(strict, built)
    return strict_rows, strict_rows + _ranked(broad, built), prefix, built


def _wanted(row_kind: str, row_administration: str, kind, administration) -> bool:
    return (not kind or row_kind == kind) and (
        not administration or row_administration in (administration, "both")
    )


def run(text, synonyms, kind, administration, page: int, per_page: int) -> RawResults:
    """Without a filter only the best ``RANKED`` hits (or as many as the page needs) are
    ranked; the facets and the total then come from counting the matches."""
    limit = RESULT_CAP if kind or administration else max(RANKED, page * per_page)
    strict, every, prefix, built = found(text, synonyms, limit)
    groups = [(row.kind, row.administration, 1) for row in every]
    if len(strict) == limit < RESULT_CAP:
        groups = counts.facets(built.strict())
    facets: dict[str, Counter[str]] = {"kind": Counter(), "administration": Counter()}
    for row_kind, row_administration, n in groups:
        facets["kind"][row_kind] += n
        facets["administration"][row_administration] += n
    matching = [r for r in every if _wanted(r.kind, r.administration, kind, administration)]
    total = sum(n for k, a, n in groups if _wanted(k, a, kind, administration))
    start = (page - 1) * per_page
    return RawResults(
        hits=_hits(matching[start : start + per_page], built),
        total=total,
        facets=facets,
        fuzzy=not strict and bool(every),
        suggestion=_spelling(text, skip=prefix if every else ""),
    )


def _escaped(column: str) -> str:
    """SQL for ``column`` as HTML text: ts_headline drops what looks like a tag, so the text
    is escaped before it (and its output is escaped text with the highlight marks)."""
    return f"replace(replace(replace({column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _marked(text: str | None) -> Markup | None:
    """ts_headline's output of escaped text, its marks as ``<mark>``."""
    if not text or START not in text or "<" in text or ">" in text:
        return None
    marked = text.replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(marked)  # noqa: S704 - escaped in SQL, and checked above


def _hits(rows: list[Row], built: tsquery.Built) -> list[Hit]:
    if not rows:
        return []
    words = " or ".join(w for w in built.words if w not in DANISH_STOPWORDS) or "x"
    # A person's snippet is their summary: their body is not parsed for passages
    sql = sa.text(  # only _escaped's constant SQL is formatted in
        "SELECT id, title, url, summary, body, CASE WHEN kind <> :person THEN"  # noqa: S608
        f" ts_headline('danish', {_escaped('body')}, q, :options) END AS body_marked,"
        f" ts_headline('danish', {_escaped('summary')}, q, :all) AS summary_marked"
        " FROM search_document, websearch_to_tsquery('danish', :words) AS q"
        " WHERE id = ANY(:ids)"
    )
    params: dict[str, object] = {"person": PERSON_KIND, "options": HEADLINE, "all": HEADLINE_ALL}
    params |= {"words": words, "ids": [r.id for r in rows]}
    found = {r.id: r for r in db.session.execute(sql, params)}
    hits = []
    for row in rows:
        doc = found[row.id]
        if row.kind == PERSON_KIND:
            snippet = _marked(doc.summary_marked) or escape(doc.summary or "Kontaktperson")
        else:
            text = doc.summary or doc.body or ""
            snippet = (
                _marked(doc.body_marked)
                or _marked(doc.summary_marked)
                or escape(text[:240] + ("…" if len(text) > 240 else ""))
            )
        hits.append(Hit(row.id, row.kind, doc.title, doc.url, row.administration, snippet))
    return hits


def matching_ids(text, synonyms, source) -> tuple[list[str], list[str]]:
    strict, every, _, _ = found(text, synonyms)
    strict_ids = {row.id for row in strict}
    ids = [(row.id, row.id in strict_ids) for row in every if row.source == source]
    return [i for i, s in ids if s], [i for i, s in ids if not s]


def _spelling(text: str, skip: str = "") -> str | None:
    return corrected(text, skip, vocabulary.in_titles, vocabulary.spelling)


def suggest(text: str, limit: int) -> list[dict]:
    words = re.findall(r"\w+", text.lower())[:6]
    if not words:
        return []
    query = " & ".join(quoted(w[:SUGGEST_MAX]) + ":*" for w in words)
    sql = sa.text(
        "SELECT title, url, kind FROM search_document"
        " WHERE suggest @@ CAST(:q AS tsquery)"
        " ORDER BY ts_rank(suggest, CAST(:q AS tsquery)) DESC, length(title), title LIMIT :limit"
    )
    return [dict(row) for row in db.session.execute(sql, {"q": query, "limit": limit}).mappings()]
