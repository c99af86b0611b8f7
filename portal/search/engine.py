"""The search engine behind a small interface, and what every engine shares: the bounds on a
query, and the shape of its results.

Two engines implement ``Engine``: Whoosh (``whoosh_engine``: an index directory per server,
the embedded default with SQLite) and PostgreSQL full-text search (``postgres``: the search
data in the database, shared by every server). Above them, engine-independent: the Danish
analysis and the query plan (``understanding``), synonyms, the ranking rules (``ranking``)
and the fallbacks (``services``). ``PORTAL_SEARCH_ENGINE`` chooses; by default PostgreSQL on a
PostgreSQL database, Whoosh otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from markupsafe import Markup

from portal.search.lexicon import DANISH_STOPWORDS
from portal.search.registry import SearchDocument
from portal.search.understanding import QUESTION_WORDS

ENGINES = ("whoosh", "postgresql")

RESULT_CAP = 500  # facets are counted over at most this many hits
FEW = 3  # fewer strict (AND) hits than this, and broader hits follow them
NEAR_BELOW = 10  # fewer hits than a page, and a compound's parts are also looked for as words
BROADER_LIMIT = 40  # ranked again by how much of the query they match
# A word on more than this share of the pages, and on more than this many, is common: it does
# not choose the broader hits, only adds to their rank (Lucene's common terms query), since
# every page that has it would be scored; in a small index no word is common
COMMON, COMMON_PAGES = 0.1, 200

FUZZY_WEIGHT = 0.5  # a word like the one typed counts half

# Search is public, so the cost of its worst query is bounded by construction: at most this
# many words of at most this length; only a few short words without digits are looked up by
# edit distance, and each stands for at most ``NEAR_TERMS`` words of the index.
MAX_WORDS = 12
MAX_WORD_LENGTH = 40
FUZZY_MAX_LENGTH = 20
FUZZY_WORDS = 4
NEAR_TERMS = 8


def rare(pages: list[float], total: float) -> list[bool]:
    """For each slot on about ``pages`` pages of ``total``, whether it chooses the broader
    hits: the rare ones, or the rarest if every one is common."""
    common = max(COMMON * total, COMMON_PAGES)
    chosen = [n <= common for n in pages]
    return chosen if any(chosen) else [i == pages.index(min(pages)) for i in range(len(pages))]


def bounded(text: str) -> str:
    """The query as it will be searched: at most ``MAX_WORDS`` words, each cut to
    ``MAX_WORD_LENGTH`` characters."""
    return " ".join(word[:MAX_WORD_LENGTH] for word in text.split()[:MAX_WORDS])


def fuzzy_candidate(word: str) -> bool:
    """A word worth looking for words like it: a typo in an ordinary word, not a long or
    digit-heavy token (a case number, a pasted hash, an attack)."""
    return 3 <= len(word) <= FUZZY_MAX_LENGTH and not any(ch.isdigit() for ch in word)


def corrected(
    text: str, skip: str, known: Callable[[str], bool], closest: Callable[[str], str | None]
) -> str | None:
    """ "Mente du …?": ``text`` with each unknown ordinary word (not ``skip``, a word start)
    replaced by ``closest(word)``, looked up for at most ``FUZZY_WORDS`` words; None when
    nothing changed. Each engine says what it knows and what is closest."""
    words, changed, lookups = [], False, 0
    for word in re.findall(r"\w+", text):
        lowered = word.lower()
        if (
            lowered in DANISH_STOPWORDS
            or lowered in QUESTION_WORDS
            or lowered == skip
            or not fuzzy_candidate(lowered)
            or lookups >= FUZZY_WORDS
            or known(lowered)
        ):
            words.append(word)
            continue
        lookups += 1
        option = closest(lowered)
        words.append(option or word)
        changed = changed or option is not None
    return " ".join(words) if changed else None


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


class Unavailable(Exception):
    """The engine's index is missing, damaged or of an older shape: rebuild it."""


class QueryFailed(Exception):
    """The database refused a search's statement: the index itself is fine (no rebuild)."""


class Busy(Exception):
    """Another writer held the engine's lock past the timeout: the changes wait."""


class Engine(Protocol):
    name: str
    # Whether ``apply`` writes in the database (PostgreSQL's engine) or only reads from it
    # (Whoosh: the documents; its index is files of its own).
    writes_database: bool

    def consumer(self) -> str:
        """This index's name among the outbox's consumers (``search_index_state``)."""
        ...

    def apply(self, doc_ids: Sequence[str], load: Callable[[str], SearchDocument | None]) -> int:
        """Make each document current: ``load(doc_id)`` is its state (None: gone), read once
        the engine holds its lock. On PostgreSQL this joins the caller's transaction.

        :raises Busy: another writer holds the lock past the timeout.
        :raises Unavailable: the index cannot be used."""
        ...

    def applying(self, wait: bool = True) -> AbstractContextManager[None]:
        """Held while the outbox's rows are read, applied and recorded: with it, a waiting
        applier finds what the one before it applied and writes only the rest.

        :raises Busy: another applier holds it past the timeout (at once with ``wait`` false)."""
        ...

    def replace_all(self, docs: Iterable[SearchDocument], count: int = 0) -> int:
        """Replace the whole index with ``docs`` (about ``count`` of them), atomically for
        readers."""
        ...

    def reset(self) -> None:
        """Forget cached handles (after a failure or a rebuild elsewhere)."""
        ...

    def ensure(self) -> None:
        """:raises Unavailable: the index is missing, damaged or of an older analysis."""
        ...

    def stamps(self) -> dict[str, str]:
        """Each indexed document's fingerprint (``registry.stamp``)."""
        ...

    def query(
        self,
        text: str,
        synonyms: list[list[str]],
        kind: str | None,
        administration: str | None,
        page: int,
        per_page: int,
    ) -> RawResults: ...

    def matching_ids(
        self, text: str, synonyms: list[list[str]], source: str
    ) -> tuple[list[str], list[str]]: ...

    def suggest(self, text: str, limit: int) -> list[dict]: ...

    def maintain(self) -> str | None:
        """``portal jobs run``: housekeeping (merging segments); what was done, if anything."""
        ...


def configured(config) -> str:
    """The engine ``config`` asks for: ``SEARCH_ENGINE``, or by the database."""
    chosen = config.get("SEARCH_ENGINE") or ""
    if chosen:
        return chosen
    uri = str(config["SQLALCHEMY_DATABASE_URI"])
    return "postgresql" if uri.startswith("postgresql") else "whoosh"


def current() -> Engine:
    """The current app's engine (made once per app)."""
    found: Engine = current_app.extensions["portal_search_engine"]
    return found
