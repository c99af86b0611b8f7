"""The declarative base, shared column types and the database's connection settings."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names on SQLite and PostgreSQL alike, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp, also on SQLite (which stores no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Set while a block may write although the request is a GET (after-response work, a CLI
# command's transaction), or only reads although the request may write (the search indexer
# after a save): see ``writing()``.
_writing: ContextVar[bool | None] = ContextVar("portal_writing", default=None)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def writing(writes: bool = True) -> Iterator[None]:
    """Transactions begun inside this block may write, whatever the request's method; with
    ``writes`` false they only read (on SQLite a plain BEGIN, which no writer waits for)."""
    token = _writing.set(writes)
    try:
        yield
    finally:
        _writing.reset(token)


WRITES_ON_GET = "portal_writes_on_get"
F = TypeVar("F", bound=Callable)


def writes_on_get(view: F) -> F:
    """Marks a view whose GET writes by design (an identity provider sends the browser back
    with a GET that signs the person in and may create the account): its transaction takes
    the write lock from the start, as a POST's does."""
    setattr(view, WRITES_ON_GET, True)
    return view


def _view_writes_on_get() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, WRITES_ON_GET, False))


def read_only_transaction() -> bool:
    """A GET's own transaction only reads (a GET never writes), except a view marked
    ``writes_on_get`` and, with a trusted proxy header naming the person
    (``PORTAL_TRUSTED_HEADER``), any request: its first request signs in and may create the
    account. Inside ``writing()`` the block says which."""
    chosen = _writing.get()
    if chosen is not None:
        return not chosen
    return (
        has_request_context()
        and request.method in SAFE_METHODS
        and not _view_writes_on_get()
        and not current_app.config.get("TRUSTED_HEADER")
    )


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """A transaction that may write takes SQLite's write lock when it starts, so two writers
    queue on busy_timeout instead of failing with "database is locked" when a read transaction
    upgrades. A GET's transaction only reads: a plain (deferred) BEGIN, so that readers in all
    processes and threads run side by side under WAL instead of one at a time."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN" if read_only_transaction() else "BEGIN IMMEDIATE")


def for_this_database(dialect: str):
    """Alembic's ``include_object`` for ``dialect``: leaves out what the models create only
    on another database (``Index(...).ddl_if(dialect=...)``, such as the PostgreSQL search
    engine's GIN indexes), so that autogenerate and the migration test agree on SQLite."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        wanted = getattr(condition, "dialect", None)
        return wanted is None or wanted == dialect

    return include
