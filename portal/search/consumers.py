"""The indexes that consume the search outbox (a Whoosh index per server and directory, or
the database's own with PostgreSQL): each marks
the rows it has applied, and a row is deleted once every index seen lately has applied it.

Marks, not a "last applied id": on PostgreSQL ids are handed out at insert and rows commit in
any order, so a high-water mark would skip a row that commits after a later one; and SQLite
hands out an id again once the rows above it are gone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from portal.db import utcnow
from portal.extensions import db
from portal.search import engine
from portal.search.models import SearchIndexState, SearchOutbox, SearchOutboxApplied


def index_name() -> str:
    """This index's name in ``search_index_state``: for Whoosh the server and the directory,
    for PostgreSQL the database itself (one index, whichever server writes)."""
    return engine.current().consumer()


def forget_before() -> datetime:
    return utcnow() - timedelta(days=current_app.config["SEARCH_INDEX_FORGET_DAYS"])


def known() -> bool:
    """Whether this index is known and was seen lately; a new index is registered (it has
    applied nothing). False: it was forgotten, so rows it needed may be gone."""
    state = db.session.get(SearchIndexState, index_name())
    if state is None:
        db.session.add(SearchIndexState(name=index_name()))
        db.session.flush()
        return True
    return not forgotten(state.seen_at)


HEARTBEAT = timedelta(days=1)


def last_seen() -> datetime | None:
    """When this index last marked itself seen (None: not registered yet)."""
    return db.session.scalar(
        sa.select(SearchIndexState.seen_at).where(SearchIndexState.name == index_name())
    )


def forgotten(seen_at: datetime | None) -> bool:
    """An index last seen then counts as gone: it holds no row back, and rebuilds."""
    return seen_at is not None and seen_at < forget_before()


def seen() -> None:
    """This index is running, though it had nothing to apply: an index that applies nothing
    for ``SEARCH_INDEX_FORGET_DAYS`` (a quiet week) would otherwise count as gone."""
    db.session.execute(
        sa.update(SearchIndexState)
        .where(SearchIndexState.name == index_name())
        .values(seen_at=utcnow())
    )


def unapplied():
    mine = sa.select(SearchOutboxApplied.outbox_id).where(
        SearchOutboxApplied.outbox_id == SearchOutbox.id,
        SearchOutboxApplied.index_name == index_name(),
    )
    return ~sa.exists(mine)


def applied(ids: list[int]) -> None:
    """This index has applied ``ids``; rows every index seen lately has applied are deleted."""
    me = index_name()
    db.session.execute(
        sa.update(SearchIndexState).where(SearchIndexState.name == me).values(seen_at=utcnow())
    )
    # Only rows still there and not yet marked: another writer of this index (a worker
    # process beside this one) may have applied and deleted some meanwhile.
    still = sa.select(SearchOutbox.id, sa.literal(me)).where(SearchOutbox.id.in_(ids), unapplied())
    db.session.execute(
        sa.insert(SearchOutboxApplied).from_select(["outbox_id", "index_name"], still)
    )
    _prune()


def _prune() -> None:
    """Delete the rows every index seen lately has applied."""
    live = sa.select(SearchIndexState.name).where(SearchIndexState.seen_at >= forget_before())
    marks = (
        sa.select(sa.func.count())
        .select_from(SearchOutboxApplied)
        .where(
            SearchOutboxApplied.outbox_id == SearchOutbox.id,
            SearchOutboxApplied.index_name.in_(live),
        )
        .scalar_subquery()
    )
    everyone = sa.select(sa.func.count()).select_from(live.subquery()).scalar_subquery()
    db.session.execute(sa.delete(SearchOutbox).where(marks >= everyone))


LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def forget(name: str) -> bool:
    """An index that is gone (a server taken down, a test's) holds no row back from now on,
    not only after ``SEARCH_INDEX_FORGET_DAYS``; should it return, it rebuilds, as any index
    not seen for long does (``known``). False if no index has that name."""
    state = db.session.get(SearchIndexState, name)
    if state is None:
        return False
    state.seen_at = LONG_AGO
    db.session.flush()
    _prune()
    return True


def overview() -> list[tuple[str, datetime, int]]:
    """Each index: its name, when it last applied changes, and how many it has not applied."""
    marked = (
        sa.select(SearchOutboxApplied.outbox_id)
        .where(
            SearchOutboxApplied.outbox_id == SearchOutbox.id,
            SearchOutboxApplied.index_name == SearchIndexState.name,
        )
        .correlate_except(SearchOutboxApplied)
    )
    behind = (
        sa.select(sa.func.count(SearchOutbox.id))
        .where(~sa.exists(marked))
        .correlate(SearchIndexState)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(SearchIndexState.name, SearchIndexState.seen_at, behind).order_by(
            SearchIndexState.name
        )
    )
    return [(name, seen, waiting) for name, seen, waiting in rows]
