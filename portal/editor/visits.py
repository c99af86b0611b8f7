"""Daily visit counts for guides and procedures, counted in memory and written in batches.

A page view used to write its count at once: one write transaction per view, which on SQLite
queues every reader's visit behind the one writer. Now each process adds views up in memory and
writes them (one upsert per page and day) after the response of the first view that comes
``VISIT_FLUSH_SECONDS`` (default 60; 0 in tests: at once) after the last write, and when the
process exits. A process that crashes loses at most that long of its counts: they are
statistics for the editors (no personal data), not records.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date

from flask import Flask
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.editor.models import PageVisit
from portal.extensions import db
from portal.timeutil import local_today
from portal.transaction import after_response

log = logging.getLogger(__name__)
EXTENSION = "portal_visits"
Key = tuple[date, str, str]  # day, kind, slug


class VisitCounter:
    """This process's counts not yet written, and when they were last written."""

    def __init__(self, every: float) -> None:
        self.every = every
        self._lock = threading.Lock()
        self._counts: Counter[Key] = Counter()
        self._written_at = time.monotonic()

    def add(self, key: Key) -> bool:
        """Count one view; whether the counts are due to be written now."""
        with self._lock:
            self._counts[key] += 1
            return time.monotonic() - self._written_at >= self.every

    def take(self) -> Counter[Key]:
        with self._lock:
            counts, self._counts = self._counts, Counter()
            self._written_at = time.monotonic()
            return counts

    def give_back(self, counts: Counter[Key]) -> None:
        with self._lock:
            self._counts.update(counts)


def counter(app: Flask) -> VisitCounter:
    return app.extensions[EXTENSION]


def count_visit(sender: Flask, kind: str, slug: str) -> None:
    """``signals.page_viewed``: one more view today, in memory; when the counts are due, they
    are written after the response, in a short transaction of their own."""
    visits = counter(sender)
    if visits.add((local_today(), kind, slug)):
        after_response(lambda: write(visits))


def write(visits: VisitCounter) -> None:
    """Add the counts taken from ``visits`` to the database (an upsert: other processes'
    counts for the same page and day add up). Flushes; the caller's transaction commits. On
    failure the counts go back for the next write."""
    counts = visits.take()
    if not counts:
        return
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    try:
        for (day, kind, slug), n in sorted(counts.items()):
            statement = insert(PageVisit).values(day=day, kind=kind, slug=slug, count=n)
            statement = statement.on_conflict_do_update(
                index_elements=["day", "kind", "slug"], set_={"count": PageVisit.count + n}
            )
            db.session.execute(statement)
        db.session.flush()
    except Exception:
        visits.give_back(counts)
        raise


def write_at_exit(app: Flask) -> None:
    """When the process ends (a gunicorn worker recycled or stopped): write what is left."""
    from portal.transaction import transaction

    try:
        with app.app_context(), transaction():
            write(counter(app))
    except Exception:
        log.warning("Visit counts could not be written at exit", exc_info=True)


def init_app(app: Flask) -> None:
    every = app.config.get("VISIT_FLUSH_SECONDS")
    if every is None:
        every = 0 if app.testing else 60
    app.extensions[EXTENSION] = VisitCounter(float(every))
    if every and not app.testing:
        atexit.register(write_at_exit, app)
