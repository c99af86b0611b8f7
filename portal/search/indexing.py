"""Keeping the index true: the outbox applied after each commit, rebuilds and the drift check.

The indexer runs after the request's transaction has ended, in its own app context and so its
own session (``signals.committed``): it can never commit the request's work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from portal.db import utcnow, writing
from portal.extensions import db
from portal.search import consumers, engine
from portal.search.models import SearchOutbox
from portal.search.registry import SearchDocument, registry
from portal.transaction import transaction

log = logging.getLogger(__name__)

BATCH = 200  # documents read per database transaction during a rebuild


def _load(doc_id: str) -> SearchDocument | None:
    source, key = doc_id.split(":", 1)
    found = registry().sources.get(source)
    return found.load(key) if found else None


def on_commit(app: Flask, session: Session) -> None:
    """``signals.committed``: index what the committed transaction changed. A failure leaves
    the changes in the outbox for the next writer; it never reaches the user."""
    if not session.info.pop("search_pending", False):
        return
    try:
        apply_pending()
    except Exception:
        db.session.rollback()
        log.exception("Applying search changes failed; they stay in the outbox")


def on_teardown(error: BaseException | None) -> None:
    """When an app context ends: index what a commit outside the request boundary changed (a
    script or a test that commits by itself), in a fresh app context, as ``on_commit`` does."""
    if error is not None or not db.session.registry.has():
        return
    session = db.session()
    if session.info.get("search_pending"):
        session.close()  # the context is over: release the database (SQLite's write lock)
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        with app.app_context():
            on_commit(app, session)


def apply_pending(limit: int = 1000, wait: bool = True) -> int:
    """Apply the outbox rows this index has not applied: re-read each thing's current state
    once the engine's lock is held, write, then record how far this index has come (rows are
    deleted once every index has passed them). Returns how many.

    If the index is missing or damaged, or was forgotten, it is rebuilt; if another writer
    holds the lock past the timeout (or at all, with ``wait`` false), the rows stay for the
    next call.
    """
    found = engine.current()
    rows: Sequence[sa.Row] = ()
    try:
        with found.applying(wait):  # whoever waited here finds what the one before applied
            with transaction():  # a short read: the database is released before the index lock
                if not consumers.known():
                    raise Forgotten
                rows = db.session.execute(
                    sa.select(SearchOutbox.id, SearchOutbox.source, SearchOutbox.key)
                    .where(consumers.unapplied())
                    .order_by(SearchOutbox.id)
                    .limit(limit)
                ).all()
            if not rows:
                return 0
            doc_ids = list(dict.fromkeys(f"{row.source}:{row.key}" for row in rows))
            # Whoosh's engine only reads the documents, under its index's writer lock: on
            # SQLite without the database's write lock too, or every other save waited for
            # the index's commit (and for its lock).
            with transaction(writes=found.writes_database):
                found.apply(doc_ids, _load)
            with transaction():
                consumers.applied([row.id for row in rows])
    except Forgotten:
        log.warning("Search index %s was not seen for long; rebuilding it", consumers.index_name())
        return rebuild()
    except engine.Unavailable:
        log.warning("Search index unusable; rebuilding it")
        return rebuild()
    except engine.Busy:
        if wait or rows:  # (rows is empty when another applier held this index)
            log.warning("Search index is locked; %d changes wait for the next writer", len(rows))
        return 0
    return len(rows)


class Forgotten(Exception):
    """This index was not seen for long: rows it needed may be gone (``consumers.known``)."""


def rebuild_if_unusable() -> int | None:
    """Rebuild an index that is missing, damaged or of an older schema or analysis; the
    number of documents, or None when it was usable."""
    try:
        engine.current().ensure()
    except engine.Unavailable as exc:
        log.warning("Search index unusable (%s); rebuilding it", exc)
        return rebuild()
    return None


def pending() -> int:
    """Outbox rows this index has not applied yet."""
    with transaction():
        return (
            db.session.scalar(
                sa.select(sa.func.count(SearchOutbox.id)).where(consumers.unapplied())
            )
            or 0
        )


def forgotten() -> bool:
    """This index counts as gone (``portal search forget``, or not seen for long): it holds no
    row back, so it may lack changes until it rebuilds."""
    with transaction():
        return consumers.forgotten(consumers.last_seen())


_last_catch_up = 0.0


def catch_up(every: float = 1.0) -> None:
    """Before a search: apply what other servers committed (their indexers applied it to
    their own index only). At most once a ``every`` seconds per process; two cheap reads when
    there is nothing to do. An index found forgotten (``portal search forget``, or not seen for
    long) is rebuilt: the rows it lacks may be gone. Once a day at most a search marks its
    index seen, so that a running server is never taken for gone in a quiet week. Never waits
    for an applier at work (under concurrent saves a search waited for each of theirs): a
    later search catches up. Failures are logged, never raised: the search answers anyway."""
    global _last_catch_up
    now = time.monotonic()
    if now - _last_catch_up < every:
        return
    _last_catch_up = now
    try:
        with transaction():
            seen = consumers.last_seen()
            behind = db.session.scalar(
                sa.select(sa.exists(sa.select(SearchOutbox.id).where(consumers.unapplied())))
            )
        if behind or consumers.forgotten(seen):
            with writing():  # a search is a GET, whose own transactions only read
                apply_pending(wait=False)  # forgotten: it rebuilds
        elif seen is not None and seen < utcnow() - consumers.HEARTBEAT:
            with writing(), transaction():
                consumers.seen()
    except Exception:
        db.session.rollback()
        log.warning("Catching up with the search outbox failed", exc_info=True)


def _all_documents(progress: Callable[[int], None] | None) -> Iterator[SearchDocument]:
    for source in registry().sources.values():
        with transaction():
            keys = list(source.all_keys())
        for start in range(0, len(keys), BATCH):
            with transaction():  # short read transactions: writers are not held up
                docs = [source.load(key) for key in keys[start : start + BATCH]]
            yield from (doc for doc in docs if doc is not None)
            if progress:
                progress(len(docs))


def count_all() -> int:
    with transaction():
        return sum(len(list(source.all_keys())) for source in registry().sources.values())


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Build the whole index again from the database and replace the old one atomically."""
    with transaction():
        last = db.session.scalar(sa.select(sa.func.max(SearchOutbox.id))) or 0
    found = engine.current()
    found.reset()
    count = found.replace_all(_all_documents(progress), count_all())
    with transaction():  # what it read includes every row up to ``last``
        consumers.known()
        ids = db.session.scalars(
            sa.select(SearchOutbox.id).where(SearchOutbox.id <= last, consumers.unapplied())
        ).all()
        consumers.applied(list(ids))
    # Changes committed while the rebuild read the database may be missing from what it wrote
    # (their indexer waited for the writer lock and left them in the outbox): apply them now.
    apply_pending()
    return count


@dataclass
class CheckReport:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    stale: list[str] = field(default_factory=list)  # in both, but the index is out of date
    pending: int = 0  # outbox rows not yet applied
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale or self.pending or self.error)


def check() -> CheckReport:
    """Compare the database with the index."""
    report = CheckReport()
    expected = {doc.doc_id: doc.stamp for doc in _all_documents(None)}
    report.pending = pending()
    try:
        actual = engine.current().stamps()
    except engine.Unavailable as exc:
        report.error = str(exc)
        report.missing = sorted(expected)
        return report
    report.missing = sorted(set(expected) - set(actual))
    report.extra = sorted(set(actual) - set(expected))
    report.stale = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
    return report


def is_readable() -> bool:
    """For /readyz: the index opens and can be searched."""
    try:
        engine.current().ensure()
    except Exception:
        log.warning("Search index is not readable", exc_info=True)
        return False
    return True


_rebuilding = threading.Lock()


def rebuild_soon(app: Flask) -> None:
    """Rebuild a damaged index in its own app context (so its own session): at once in tests,
    in a background thread in a server."""
    if not app.config["SEARCH_REBUILD_IN_BACKGROUND"]:
        with app.app_context():
            rebuild()
        return
    if not _rebuilding.acquire(blocking=False):
        return

    def work():
        try:
            with app.app_context():
                rebuild()
        except Exception:
            log.exception("Rebuilding the search index failed")
        finally:
            _rebuilding.release()

    threading.Thread(target=work, name="search-rebuild", daemon=True).start()


def maintain_job(app: Flask) -> str | None:
    """``portal jobs run``: the engine's housekeeping (Whoosh merges the small segments that
    saves left behind, so searches read few segments and no save waits for a merge)."""
    return engine.current().maintain()
