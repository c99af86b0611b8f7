from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR
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


# The PostgreSQL engine's index (``portal.search.postgres``): the documents with their
# lexemes, and the words of the index. Created on every database (a SQLite database can later
# move to PostgreSQL), used only by that engine; the text-search indexes exist only there.
_TSVECTOR = sa.Text().with_variant(TSVECTOR(), "postgresql")


class SearchEntry(Base):
    """One searchable document as the PostgreSQL engine holds it."""

    __tablename__ = "search_document"

    id: Mapped[str] = mapped_column(sa.String(120), primary_key=True)  # "source:key"
    source: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(40))
    administration: Mapped[str] = mapped_column(sa.String(10))
    cancelled: Mapped[bool] = mapped_column(default=False)
    past_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    url: Mapped[str] = mapped_column(sa.String(500))
    stamp: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[str] = mapped_column(sa.Text, default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # The Danish analysis's lexemes (``postgres.lexemes``) with weights A title and name,
    # B tags, C summary, D body; compound parts at their word's position
    terms: Mapped[str] = mapped_column(_TSVECTOR)
    suggest: Mapped[str] = mapped_column(_TSVECTOR)  # the words of the name or title, unstemmed
    # The lexemes of the title, name, tags and summary (``terms`` without the body): small
    # enough to stay in the row, where ``terms`` is read from TOAST (``query._rows``)
    head: Mapped[str | None] = mapped_column(_TSVECTOR)

    __table_args__ = (
        # fastupdate off: a search would otherwise read the index's pending list, row by row,
        # until a vacuum merges it (2 ms for one word at 1,000 documents)
        sa.Index(
            "ix_search_document_terms",
            "terms",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ).ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_search_document_suggest",
            "suggest",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ).ddl_if(dialect="postgresql"),
    )


class SearchWord(Base):
    """A word of the PostgreSQL engine's index (as written, lowercased) and in how many
    documents it occurs: the planner's vocabulary, completions and "Mente du" (pg_trgm)."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    docs: Mapped[int] = mapped_column(default=0)  # documents with the word anywhere
    titles: Mapped[int] = mapped_column(default=0)  # ... in a title, name, summary or tag

    __table_args__ = (
        sa.Index(
            "ix_search_word_trigram",
            "word",
            postgresql_using="gin",
            postgresql_ops={"word": "gin_trgm_ops"},
            postgresql_with={"fastupdate": "off"},
        ).ddl_if(dialect="postgresql"),
        sa.Index(
            "ix_search_word_prefix", "word", postgresql_ops={"word": "text_pattern_ops"}
        ).ddl_if(dialect="postgresql"),
    )


sa.event.listen(
    Base.metadata,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
