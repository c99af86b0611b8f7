"""The Whoosh index on disk: schema, writers with a lock timeout, one searcher per worker thread.
Nothing outside ``portal.search`` imports whoosh."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import create_in, exists_in, open_dir
from whoosh.writing import CLEAR, MERGE_SMALL

from portal.search import whoosh_readers
from portal.search.analysis import (
    DanishText,
    danish_analyzer,
    spelling_analyzer,
    suggest_analyzer,
)
from portal.search.engine import Busy, Unavailable
from portal.search.registry import SearchDocument

# The engine's own exceptions: the index is missing, corrupt or cannot be opened; another
# writer held the index's writer lock for longer than the timeout.
IndexUnavailable = Unavailable
LockError = Busy


def schema() -> Schema:
    danish = danish_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        source=ID(stored=True),
        kind=ID(stored=True, sortable=True),  # columns: facets without loading stored fields
        administration=ID(stored=True, sortable=True),
        cancelled=ID(sortable=True),  # "1" for a cancelled meeting
        past_after=NUMERIC(sortable=True, bits=64, default=0),  # epoch seconds; 0: never
        url=STORED,
        stamp=STORED,
        title=DanishText(analyzer=danish, stored=True),
        name=DanishText(analyzer=danish, stored=True),
        tags=DanishText(analyzer=danish, stored=True),
        # chars=True: highlights come from stored offsets instead of re-analysing the text
        summary=DanishText(analyzer=danish, stored=True, chars=True),
        body=DanishText(analyzer=danish, stored=True, chars=True),
        spelling=TEXT(analyzer=spelling_analyzer(), spelling=True),
        suggest=TEXT(analyzer=suggest_analyzer(), phrase=False),
    )


def _epoch(moment: datetime | None) -> int:
    """Seconds since 1970 (naive datetimes are UTC, as the database's); 0 for None."""
    if moment is None:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _fields(doc: SearchDocument) -> dict:
    return {
        "id": doc.doc_id,
        "source": doc.source,
        "kind": doc.kind,
        "administration": doc.administration,
        "cancelled": "1" if doc.cancelled else "0",
        "past_after": _epoch(doc.past_after),
        "url": doc.url,
        "stamp": doc.stamp,
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


def _analysis_version(fields_schema) -> int | None:
    """The ``ANALYSIS_VERSION`` the index's body field was analysed with (None before 2)."""
    analyzer = getattr(fields_schema["body"], "analyzer", None) if "body" in fields_schema else None
    for item in getattr(analyzer, "items", ()):
        if hasattr(item, "version"):
            return item.version
    return None


def _shape(fields_schema) -> list[tuple]:
    """What must match for an index to be usable: field names, types, columns, offsets, and
    the version of the analysis (an index analysed otherwise is rebuilt)."""
    return [
        ("analysis", str(_analysis_version(fields_schema)), False, False),
        *sorted(
            (
                name,
                type(f).__name__,
                f.column_type is not None,
                bool(getattr(f, "format", None) and f.format.__class__.__name__ == "Characters"),
            )
            for name, f in fields_schema.items()
        ),
    ]


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


# Commits (a merge's above all) can replace the files a searcher is opening, more than once in
# a row under load: seen in the load benchmark with two attempts, which then read as a broken
# index and rebuilt it. A broken index fails every attempt.
OPEN_ATTEMPTS = 5


def searcher(directory: str):
    """This thread's searcher, replaced when another commit has happened."""
    searchers = _local.__dict__.setdefault("searchers", {})
    for attempt in range(1, OPEN_ATTEMPTS + 1):
        try:
            ix = open_index(directory)
            current = searchers.get(directory)
            if current is None or ix.latest_generation() != current.reader().generation():
                current = searchers[directory] = whoosh_readers.newer(ix, current)
            return current
        except FileNotFoundError:
            # Another process replaced the table of contents while we opened it: try again.
            forget(directory)
            if attempt == OPEN_ATTEMPTS:
                raise IndexUnavailable("the index changed while it was opened") from None
    raise AssertionError("unreachable")


# A change's commit leaves its new segment as it is: merging on every commit rewrote most of
# a small index each few saves (a page save took seconds under load), and even a merge every
# twelfth save was that save's wait. ``portal jobs run`` merges the small segments
# (``merge_small``); a change merges the smallest only past this many, should saves come
# faster than the jobs run. Each segment costs every search (and each new one every worker's
# reader): at 40, the load benchmark's profile edits (4 a second) kept about 40 segments and
# searches took 12 ms of CPU each instead of 4 (pages p95 ~1 s); at 8, the 20-step page save
# costs the same (p95 71 against 74 ms).
SEGMENTS_BEFORE_MERGE = 8


def merge_when_many(writer, segments):
    """Whoosh's merge policy for a change: no merge until there are very many segments."""
    if len(segments) < SEGMENTS_BEFORE_MERGE:
        return segments
    return MERGE_SMALL(writer, segments)


def merge_small(directory: str, timeout: float) -> int:
    """Merge the small segments that changes left (``portal jobs run``); how many there were
    (0: nothing to merge).

    :raises LockError: if another writer holds the lock for longer than ``timeout`` seconds.
    """
    if not exists_in(directory):
        return 0
    ix = open_index(directory)
    segments = len(ix._segments())
    if segments < 3:  # the base and at most one small one: nothing to merge
        return 0
    try:
        writer = ix.writer(timeout=timeout, delay=0.05)
    except whoosh_index.LockError as exc:
        raise LockError(f"the index writer lock was held for more than {timeout} s") from exc
    writer.commit(mergetype=MERGE_SMALL)
    return segments


# A rebuild sorts its postings in memory up to this many MB per process (Whoosh's default
# is 128), beyond that in runs on disk that are merged afterwards: 10,000 documents of the
# benchmark took 62 s with runs and 49 s without, at about 0.9 GB per process at most; the
# content's few hundred pages stay far below either.
REBUILD_MEMORY_MB = 1024


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
    # A rebuild sorts in memory (``REBUILD_MEMORY_MB``). A change's small segment is written
    # uncompressed: its posting lists hold a posting or a few each, which zlib does not shrink
    # (a tenth of such a commit); merges compress.
    options: dict = {"limitmb": REBUILD_MEMORY_MB} if clear else {"codec": W3Codec(compression=0)}
    if procs > 1:
        options |= {"procs": procs, "multisegment": True}
    try:
        writer = ix.writer(timeout=timeout, delay=0.05, **options)
    except whoosh_index.LockError as exc:
        raise LockError(f"the index writer lock was held for more than {timeout} s") from exc
    count = 0
    try:
        # The old versions are found with this thread's searcher (the writer's own would open
        # every segment again): the lock is held, so it reads the writer's generation and its
        # document numbers are the writer's.
        current = None if clear else searcher(directory)
        for doc_id, doc in changes:
            for docnum in current.document_numbers(id=doc_id) if current else ():
                writer.delete_document(docnum)
            if doc is not None:
                writer.add_document(**_fields(doc))
            count += 1
    except BaseException:
        writer.cancel()
        raise
    if clear:
        writer.commit(mergetype=CLEAR)
    else:
        writer.commit(mergetype=merge_when_many)
    return count


def stored_stamps(directory: str) -> dict[str, str]:
    s = searcher(directory)
    return {fields["id"]: fields["stamp"] for fields in s.all_stored_fields()}


def doc_count(directory: str) -> int:
    return searcher(directory).doc_count()
