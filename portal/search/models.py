from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class SearchOutbox(Base):
    """A searchable thing changed in this transaction; the indexer re-reads it and applies it."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchLog(Base):
    """One search, for the editors: what staff look for and what finds nothing."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    query: Mapped[str] = mapped_column(sa.String(500))  # normalised, CPR-like numbers removed
    results: Mapped[int]


class SearchIndexState(Base):
    """One Whoosh index (one server's directory) that consumes the outbox. An index not seen
    for ``SEARCH_INDEX_FORGET_DAYS`` no longer holds rows back, and rebuilds when it returns."""

    __tablename__ = "search_index_state"

    name: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchOutboxApplied(Base):
    """An index has applied an outbox row. A row goes when every index seen lately has.

    Marks, not a high-water mark: on PostgreSQL ids are handed out at insert and rows commit in
    any order, so an index that had applied row 32 could never learn of a row 31 that committed
    after it; and SQLite may hand out an id again once the rows above it are gone."""

    __tablename__ = "search_outbox_applied"

    outbox_id: Mapped[int] = mapped_column(
        sa.ForeignKey("search_outbox.id", ondelete="CASCADE"), primary_key=True
    )
    index_name: Mapped[str] = mapped_column(
        sa.ForeignKey("search_index_state.name", ondelete="CASCADE"), primary_key=True
    )
