"""The Whoosh engine: an index directory on this server (``index``), queried by
``whoosh_search``. Each server's index consumes the outbox on its own (``consumers``)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from flask import current_app
from whoosh.util.filelock import FileLock, try_for

from portal.search import index, whoosh_search
from portal.search.engine import Busy, RawResults
from portal.search.registry import SearchDocument

PARALLEL_FROM = 1000  # a rebuild of this many documents or more indexes in parallel
PARALLEL_PROCS = min(2, os.cpu_count() or 1)
APPLY_POLL = 0.005  # a waiting applier tries the lock this often (Whoosh's writer: 50 ms)


def _directory() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


def _timeout() -> float:
    return current_app.config["SEARCH_WRITER_TIMEOUT"]


class WhooshEngine:
    name = "whoosh"
    writes_database = False

    def consumer(self) -> str:
        return current_app.config.get("SEARCH_INDEX_NAME") or (
            f"{socket.gethostname()}:{os.path.abspath(_directory())}"
        )

    def apply(self, doc_ids: Sequence[str], load: Callable[[str], SearchDocument | None]) -> int:
        # a generator: read only once the writer lock is held
        changes = ((doc_id, load(doc_id)) for doc_id in doc_ids)
        return index.write(_directory(), changes, _timeout())

    @contextmanager
    def applying(self, wait: bool = True) -> Iterator[None]:
        """One applier of the outbox to this index at a time, across processes and threads.
        Without it, concurrent saves each read the outbox and then waited for Whoosh's writer
        lock, so each wrote the others' changes again; with it, the next applier reads once
        the one before has written and recorded its rows, and writes what came meanwhile in
        one commit."""
        directory = _directory()
        os.makedirs(directory, exist_ok=True)
        lock = FileLock(os.path.join(directory, "APPLYING"))  # not a name Whoosh cleans up
        timeout = _timeout() if wait else 0
        if not try_for(lock.acquire, timeout=timeout, delay=APPLY_POLL):
            raise Busy(f"another process applied changes for more than {timeout} s")
        try:
            yield
        finally:
            lock.release()

    def replace_all(self, docs: Iterable[SearchDocument], count: int = 0) -> int:
        path = _directory()
        try:
            index.open_index(path, create=True)
        except index.IndexUnavailable:
            index.create_empty(path)
        procs = PARALLEL_PROCS if count >= PARALLEL_FROM else 1
        changes = ((doc.doc_id, doc) for doc in docs)
        return index.write(path, changes, timeout=max(_timeout(), 30), clear=True, procs=procs)

    def reset(self) -> None:
        index.forget(_directory())

    def ensure(self) -> None:
        index.searcher(_directory())

    def stamps(self) -> dict[str, str]:
        return index.stored_stamps(_directory())

    def query(self, text, synonyms, kind, administration, page, per_page) -> RawResults:
        return whoosh_search.run(_directory(), text, synonyms, kind, administration, page, per_page)

    def matching_ids(self, text, synonyms, source) -> tuple[list[str], list[str]]:
        return whoosh_search.matching_ids(_directory(), text, synonyms, source)

    def suggest(self, text: str, limit: int) -> list[dict]:
        return whoosh_search.suggest(_directory(), text, limit)

    def maintain(self) -> str | None:
        """Merge the small segments that saves left behind, so searches read few segments and
        no save waits for a merge."""
        try:
            segments = index.merge_small(_directory(), _timeout())
        except (index.LockError, index.IndexUnavailable):
            return None  # a writer is busy, or the next change rebuilds a damaged index
        return f"Søgeindeks: {segments} segmenter lagt sammen." if segments > 1 else None
