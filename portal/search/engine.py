"""The Whoosh index: schema, writers with a lock timeout, one searcher per worker thread, queries,
highlighting and suggestions. Nothing outside ``portal.search`` imports whoosh."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh import query as Q
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.index import create_in, exists_in, open_dir
from whoosh.qparser import FieldsPlugin, MultifieldParser, OrGroup, WildcardPlugin
from whoosh.qparser.syntax import AndGroup
from whoosh.writing import CLEAR

from portal.search.analysis import (
    DANISH_STOPWORDS,
    danish_analyzer,
    spelling_analyzer,
    suggest_analyzer,
)
from portal.search.registry import SearchDocument

log = logging.getLogger(__name__)

FIELD_BOOSTS = {"title": 6.0, "name": 6.0, "tags": 3.0, "summary": 2.0, "body": 1.0}
RESULT_CAP = 500  # facets are counted over at most this many hits
FEW = 3  # fewer strict (AND) hits than this, and broader hits follow them
BROADER_LIMIT = 20


class IndexUnavailable(Exception):
    """The index is missing, corrupt or cannot be opened."""


def schema() -> Schema:
    danish = danish_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        source=ID(stored=True),
        kind=ID(stored=True, sortable=True),  # columns: facets without loading stored fields
        administration=ID(stored=True, sortable=True),
        url=STORED,
        stamp=STORED,
        title=TEXT(analyzer=danish, stored=True),
        name=TEXT(analyzer=danish, stored=True),
        tags=TEXT(analyzer=danish, stored=True),
        # chars=True: highlights come from stored offsets instead of re-analysing the text
        summary=TEXT(analyzer=danish, stored=True, chars=True),
        body=TEXT(analyzer=danish, stored=True, chars=True),
        spelling=TEXT(analyzer=spelling_analyzer(), spelling=True),
        suggest=TEXT(analyzer=suggest_analyzer(), phrase=False),
    )


def stamp(doc: SearchDocument) -> str:
    """A fingerprint of a document, to find index entries that are out of date."""
    parts = [doc.kind, doc.title, doc.url, doc.administration, doc.summary, doc.body,
             "|".join(doc.tags), doc.name]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _fields(doc: SearchDocument) -> dict:
    return {
        "id": doc.doc_id,
        "source": doc.source,
        "kind": doc.kind,
        "administration": doc.administration,
        "url": doc.url,
        "stamp": stamp(doc),
        "title": doc.title,
        "name": doc.name,
        "tags": " ".join(doc.tags),
        "summary": doc.summary,
        "body": doc.body,
        # Titles, names, summaries and tags: the words staff search for. (The body too would
        # cost a third of the indexing time for few extra suggestions.)
        "spelling": " ".join([doc.title, doc.name, doc.summary, *doc.tags]),
        "suggest": doc.name or doc.title,
    }


def _shape(fields_schema) -> list[tuple]:
    """What must match for an index to be usable: field names, types, columns, offsets."""
    return sorted(
        (name, type(f).__name__, f.column_type is not None,
         bool(getattr(f, "format", None) and f.format.__class__.__name__ == "Characters"))
        for name, f in fields_schema.items()
    )  # fmt: skip


# Index handles are shared by the threads of a process; searchers are per thread.
_lock = threading.Lock()
_indexes: dict[str, object] = {}
_local = threading.local()


def forget(directory: str) -> None:
    """Drop cached handles for ``directory`` (after a rebuild, or when it failed)."""
    with _lock:
        _indexes.pop(directory, None)
    searchers = getattr(_local, "searchers", {})
    searcher = searchers.pop(directory, None)
    if searcher is not None:
        searcher.close()


def open_index(directory: str, create: bool = False):
    """:raises IndexUnavailable: if the index is missing (and not created) or unreadable."""
    with _lock:
        ix = _indexes.get(directory)
        if ix is not None:
            return ix
        try:
            if exists_in(directory):
                ix = open_dir(directory)
                if _shape(ix.schema) != _shape(schema()):
                    raise IndexUnavailable("the index has an old schema")
            elif create:
                os.makedirs(directory, exist_ok=True)
                ix = create_in(directory, schema())
            else:
                raise IndexUnavailable("no index")
        except IndexUnavailable:
            raise
        except Exception as exc:  # whoosh raises many kinds on a damaged index
            raise IndexUnavailable(f"the index cannot be opened: {exc!r}") from exc
        _indexes[directory] = ix
        return ix


def create_empty(directory: str):
    forget(directory)
    os.makedirs(directory, exist_ok=True)
    ix = create_in(directory, schema())
    with _lock:
        _indexes[directory] = ix
    return ix


def searcher(directory: str):
    """This thread's searcher, replaced when another commit has happened."""
    searchers = _local.__dict__.setdefault("searchers", {})
    for attempt in (1, 2):
        try:
            ix = open_index(directory)
            current = searchers.get(directory)
            # Not Searcher.refresh(): it reuses segment readers by segment id, so a commit that
            # only deletes documents would stay invisible.
            if current is None or ix.latest_generation() != current.reader().generation():
                if current is not None:
                    current.close()
                current = searchers[directory] = ix.searcher()
            return current
        except FileNotFoundError:
            # Another process replaced the table of contents while we opened it: try again.
            forget(directory)
            if attempt == 2:
                raise IndexUnavailable("the index changed while it was opened") from None
    raise AssertionError("unreachable")


def write(
    directory: str,
    changes: Iterable[tuple[str, SearchDocument | None]],
    timeout: float,
    clear: bool = False,
    procs: int = 1,
) -> int:
    """Apply ``(doc_id, document or None to delete)`` pairs in one commit. ``changes`` is
    consumed only once the writer lock is held, so it can read the current state then.
    ``clear`` replaces the whole index atomically; ``procs`` > 1 indexes in that many
    processes (worth it for a large rebuild only).

    :raises LockError: if another writer holds the lock for longer than ``timeout`` seconds.
    """
    ix = open_index(directory, create=True)
    if procs > 1:
        writer = ix.writer(timeout=timeout, delay=0.05, procs=procs, multisegment=True)
    else:
        writer = ix.writer(timeout=timeout, delay=0.05)
    count = 0
    try:
        for doc_id, doc in changes:
            if doc is None:
                writer.delete_by_term("id", doc_id)
            elif clear:
                writer.add_document(**_fields(doc))
            else:
                writer.update_document(**_fields(doc))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    if clear:
        writer.commit(mergetype=CLEAR)
    else:
        writer.commit()
    return count


def stored_stamps(directory: str) -> dict[str, str]:
    s = searcher(directory)
    return {fields["id"]: fields["stamp"] for fields in s.all_stored_fields()}


# Queries


def _parser(fields_schema, group) -> MultifieldParser:
    parser = MultifieldParser(
        list(FIELD_BOOSTS), fields_schema, fieldboosts=FIELD_BOOSTS, group=group
    )
    parser.remove_plugin_class(WildcardPlugin)
    parser.remove_plugin_class(FieldsPlugin)
    return parser


QUERY_NOISE = re.compile(r"[\"():^~*?\[\]{}<>\\/+!]")


def expand_synonyms(text: str, groups: list[list[str]]) -> str:
    """Turn a known term into an OR of the ways it is written: "BIF" becomes
    (BIF OR "Beskæftigelses- og Integrationsforvaltningen" OR ...)."""
    text = QUERY_NOISE.sub(" ", text)
    clauses = []
    candidates = sorted(
        ((phrase, group) for group in groups for phrase in group), key=lambda pg: -len(pg[0])
    )
    for phrase, group in candidates:
        clean = QUERY_NOISE.sub(" ", phrase).strip()
        if not clean:
            continue
        match = re.search(rf"(?<![\w-]){re.escape(clean)}(?![\w-])", text, re.IGNORECASE)
        if match is None:
            continue
        text = text[: match.start()] + " " + text[match.end() :]
        alternatives = dict.fromkeys(QUERY_NOISE.sub(" ", p).strip() for p in group)
        quoted = [f'"{p}"' if re.search(r"\W", p) else p for p in alternatives if p]
        clauses.append("(" + " OR ".join(quoted) + ")")
    return " ".join([text.strip(), *clauses]).strip()


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in DANISH_STOPWORDS]


FUZZY_FIELDS = ("title", "summary", "body")


def _fuzzy_query(text: str):
    """Any of the words, or words one or two edits away. The first two letters must match:
    typos rarely start a word, and it keeps the dictionary scan short."""
    analyzer = danish_analyzer(compounds=False)
    clauses = []
    for word in _words(text):
        for token in analyzer(word, mode="query"):
            distance = 2 if len(token.text) >= 8 else 1
            for name in FUZZY_FIELDS:
                clauses.append(
                    Q.FuzzyTerm(name, token.text, boost=FIELD_BOOSTS[name], maxdist=distance,
                                prefixlength=2)
                )  # fmt: skip
    return Q.Or(clauses) if clauses else Q.NullQuery


class MarkFormatter(highlight.Formatter):
    """Highlights as escaped text with ``<mark>`` around matches, and nothing else."""

    def format_token(self, text, token, replace=False):
        return Markup("<mark>%s</mark>") % highlight.get_text(text, token, replace)

    def format_fragment(self, fragment, replace=False):
        output = []
        index = fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar is None or token.startchar < index:
                continue
            output.append(escape(text[index : token.startchar]))
            output.append(self.format_token(text, token, replace))
            index = token.endchar
        output.append(escape(text[index : fragment.endchar]))
        return Markup("").join(output)

    def format(self, fragments, replace=False):
        return Markup(" … ").join(self.format_fragment(f, replace) for f in fragments)


@dataclass
class Hit:
    doc_id: str
    kind: str
    title: str
    url: str
    administration: str
    snippet: Markup


@dataclass
class RawResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, Counter] = field(default_factory=dict)
    fuzzy: bool = False
    suggestion: str | None = None


def _snippet(hit, terms_found: bool) -> Markup:
    if terms_found:
        for name in ("body", "summary"):
            text = hit.get(name) or ""
            if text:
                marked = hit.highlights(name, text=text, top=2)  # MarkFormatter: Markup
                if marked:
                    return marked if isinstance(marked, Markup) else escape(marked)
    summary = hit.get("summary") or hit.get("body") or ""
    return escape(summary[:240] + ("…" if len(summary) > 240 else ""))


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
    strict = s.search(
        _parser(s.schema, AndGroup).parse(expand_synonyms(text, synonyms)),
        limit=RESULT_CAP,
        terms=True,
    )
    found = [(hit, strict) for hit in strict]
    if len(found) < FEW:
        group = OrGroup if found else None
        broad_query = (
            _parser(s.schema, group).parse(expand_synonyms(text, synonyms))
            if group
            else _fuzzy_query(text)
        )
        # Only to fill out the first page: a small limit lets Whoosh skip weak blocks.
        broad = s.search(broad_query, limit=BROADER_LIMIT, terms=True)
        seen = {hit["id"] for hit, _ in found}
        found += [(hit, broad) for hit in broad if hit["id"] not in seen]
    for results in {id(r): r for _, r in found}.values():
        results.highlighter = highlight.Highlighter(
            fragmenter=highlight.PinpointFragmenter(maxchars=180, surround=60, autotrim=True),
            formatter=MarkFormatter(),
        )

    kinds = s.reader().column_reader("kind")
    administrations = s.reader().column_reader("administration")
    facets = {"kind": Counter(), "administration": Counter()}
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
    hits = [
        Hit(h["id"], h["kind"], h["title"], h["url"], h["administration"],
            _snippet(h, r.has_matched_terms()))
        for h, r in matching[start : start + per_page]
    ]  # fmt: skip
    return RawResults(
        hits=hits,
        total=len(matching),
        facets=facets,
        fuzzy=strict.is_empty() and bool(found),
        suggestion=_spelling(s, text),
    )


def _spelling(s, text: str) -> str | None:
    """A corrected query from the unstemmed spelling field, or None if every word is known."""
    reader = s.reader()
    words = re.findall(r"\w+", text)
    corrected = []
    changed = False
    for word in words:
        lowered = word.lower()
        if lowered in DANISH_STOPWORDS or len(lowered) < 3 or lowered.isdigit():
            corrected.append(word)
            continue
        if reader.frequency("spelling", lowered) > 0:
            corrected.append(word)
            continue
        options = s.suggest("spelling", lowered, limit=1, maxdist=2, prefix=1)
        if options:
            corrected.append(options[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


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


def doc_count(directory: str) -> int:
    return searcher(directory).doc_count()
