"""Statistics for the editors (page visits, the search log), kept in memory and written in
batches.

A page view or a search used to write its record at once: one write transaction per request,
which on SQLite queues every such request behind the one writer, and on PostgreSQL is a commit
each. Now each process keeps them and writes them (one transaction for the batch) after the
response of the first request that comes ``STATS_FLUSH_SECONDS`` (default 60; 0 in tests: at
once) after the last write, and when the process exits. A process that crashes loses at most
that long of them: statistics without personal data, not records.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable

from flask import Flask

from portal.transaction import after_response, transaction

log = logging.getLogger(__name__)


class Batch:
    """One kind of record not yet written (as counts: the same record twice is one key counted
    twice), and how to write them."""

    def __init__(self, name: str, write: Callable[[Counter], None], every: float) -> None:
        self.name = name
        self.every = every
        self.writer = write  # adds the counts to the session; the caller's transaction commits
        self._lock = threading.Lock()
        self._counts: Counter[Hashable] = Counter()
        self._written_at = time.monotonic()

    def add(self, record: Hashable) -> None:
        """Keep one record; when the batch is due, it is written after the response."""
        with self._lock:
            self._counts[record] += 1
            due = time.monotonic() - self._written_at >= self.every
        if due:
            after_response(self.write)

    def take(self) -> Counter:
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._written_at = time.monotonic()
            return counts

    def write(self) -> None:
        """Write what is kept (in the caller's transaction); on failure it is kept again for
        the next write."""
        counts = self.take()
        if not counts:
            return
        try:
            self.writer(counts)
        except Exception:
            with self._lock:
                self._counts.update(counts)
            raise


def register(app: Flask, name: str, write: Callable[[Counter], None]) -> Batch:
    """A batch for ``app``, written every ``STATS_FLUSH_SECONDS`` and at exit."""
    every = app.config.get("STATS_FLUSH_SECONDS")
    if every is None:
        every = 0 if app.testing else 60
    batch = app.extensions[name] = Batch(name, write, float(every))
    if every and not app.testing:
        atexit.register(_write_at_exit, app, batch)
    return batch


def _write_at_exit(app: Flask, batch: Batch) -> None:
    """When the process ends (a gunicorn worker recycled or stopped): write what is left."""
    try:
        with app.app_context(), transaction():
            batch.write()
    except Exception:
        log.warning("%s could not be written at exit", batch.name, exc_info=True)
