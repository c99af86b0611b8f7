"""Rendered pages kept for anonymous readers, keyed by a content version that the database
holds and the committing transaction bumps (issue 17).

What a guide or procedure shows an anonymous reader depends only on the content (the page, its
steps, tags, related pages, latest revision; the directory's names for its step contacts), the
address and the day (the "not reviewed" note). It does not depend on the reader: such a page
has no name in its header, no CSRF token and no flash message. So:

- ``content_version`` holds one counter. Each feature names the models (and, for a model whose
  other columns change often, the columns) that such pages show: ``watch(Model, columns)``. A
  flush that inserts, deletes or changes one of them adds 1 to the counter in the same
  transaction, so the change and the new version commit together. Bulk ``UPDATE``/``DELETE``
  statements on a watched model bump it too. On SQLite a view reads the counter on its
  thread's own connection; on PostgreSQL the commit notifies every process, which keeps the
  number (``portal/content_watch.py``): a moment after the commit, on every server.
- A view asks ``lookup()`` first: for a cacheable request (a GET without a query string, from
  someone not signed in and without a session cookie) it takes the version and returns the
  HTML rendered for this address, version and day, if this process has it. After
  rendering, ``keep(html)`` stores it, unless rendering touched the session (a CSRF token or a
  flash message would be someone's own).

Signed-in readers are always rendered: their pages carry their name, their CSRF tokens and
their own feedback. The counter is read before the content: a page rendered while another
transaction commits may hold newer content under the older version (harmless: the next reader
reads the new version and misses), never older content under the new one.
``remembered(name, compute)`` keeps other values that only watched models hold the same way
(the glossary's synonyms, asked for by every search). ``PORTAL_PAGE_CACHE=false`` turns the
cache off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column

from portal import content_watch
from portal.db import Base
from portal.extensions import db
from portal.timeutil import local_today

T = TypeVar("T")
EXTENSION = "portal_page_cache"
WATCH = "portal_version_watch"
AREA = "content"
_KEY = "portal_page_cache_key"
_BUMPED = "portal_content_version"  # session.info: the version this transaction wrote


class ContentVersion(Base):
    """A counter that every change to what cached pages show adds 1 to (see the module)."""

    __tablename__ = "content_version"

    area: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


TABLE = cast(sa.Table, ContentVersion.__table__)

# Models whose changes cached pages show: None means every column, else only those named.
_watched: dict[type, frozenset[str] | None] = {}


def watch(model: type, columns: tuple[str, ...] | None = None) -> None:
    """Pages keep what ``model`` holds (``columns`` of it only, if given): a change to it makes
    every cached page old."""
    _watched[model] = None if columns is None else frozenset(columns)


def _changes_watched(session: Session) -> bool:
    for obj in (*session.new, *session.deleted):
        if type(obj) in _watched:
            return True
    for obj in session.dirty:
        if type(obj) not in _watched:
            continue
        columns = _watched[type(obj)]
        state = sa.inspect(obj)
        names = columns if columns is not None else state.mapper.column_attrs.keys()
        if any(state.attrs[name].history.has_changes() for name in names):
            return True
    return False


def _bumped(session: Session) -> None:
    """One more version: in the session's transaction, so it commits with the change. On
    PostgreSQL the commit also tells every process (``portal/content_watch.py``)."""
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    table = TABLE
    statement = (pg_insert if postgresql else sqlite_insert)(table).values(area=AREA, version=1)
    version = connection.scalar(
        statement.on_conflict_do_update(
            index_elements=[table.c.area], set_={"version": table.c.version + 1}
        ).returning(table.c.version)
    )
    if postgresql:
        content_watch.notify(connection, version)
    session.info[_BUMPED] = version


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # session.new/dirty/deleted still hold what this flush wrote (they are reset afterwards).
    if _watched and _changes_watched(session):
        _bumped(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and any(
        mapper.class_ in _watched for mapper in state.all_mappers
    ):
        _bumped(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """This process knows its own new version at once, before any notification arrives (a
    savepoint's commit waits for its transaction's; a rollback, also of a savepoint, forgets
    it: the notification will tell)."""
    if session.in_nested_transaction():
        return
    version = session.info.pop(_BUMPED, None)
    if version is not None and has_app_context():
        watch = current_app.extensions.get(WATCH)
        if watch is not None:
            watch.saw(version)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_BUMPED, None)


class RenderedPages:
    """This process's rendered pages (and ``remembered`` values) for one content version, the
    most recently used kept."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.version: int | None = None
        self._pages: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: int, key: tuple) -> Any:
        with self._lock:
            if version != self.version:
                return None
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
            return html

    def put(self, version: int, key: tuple, html: Any) -> None:
        with self._lock:
            if self.version is None or version > self.version:
                self.version = version  # older pages can never be asked for again
                self._pages.clear()
            elif version < self.version:
                return
            self._pages[key] = html
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _cacheable() -> bool:
    return (
        current_app.config["PAGE_CACHE"]
        and request.method in ("GET", "HEAD")
        and not request.query_string
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and not current_user.is_authenticated
    )


VERSION = sa.select(TABLE.c.version).where(TABLE.c.area == AREA)


def current_version() -> int:
    """The content version this transaction sees (0 before the first change), or, before it
    begins, the committed version as ``portal/content_watch.py`` learns it (SQLite: a read on
    the thread's own connection; PostgreSQL: the last notification). Asked on every cached
    view."""
    session = db.session()
    if not session.in_transaction():
        watch = current_app.extensions[WATCH]
        version = watch.current() if watch is not None else None
        if version is not None:
            return version
    return session.connection().scalar(VERSION) or 0


def lookup() -> str | None:
    """The page this request would render, if it may be shared and this process has it."""
    if not _cacheable():
        return None
    key = (request.scheme, request.host, request.root_path, request.path, local_today())
    version = current_version()
    g.setdefault(_KEY, (version, key))
    return current_app.extensions[EXTENSION].get(version, key)


def keep(html: str) -> str:
    """Store the page that ``lookup()`` did not have; returns ``html``."""
    found: Any = g.get(_KEY)
    if found is not None and not session.modified and not session:
        version, key = found
        current_app.extensions[EXTENSION].put(version, key, html)
    return html


def remembered(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` as of the content version this transaction sees, computed once a version
    in this process: for a value that only watched models (``watch``) hold."""
    if not current_app.config["PAGE_CACHE"]:
        return compute()
    kept = current_app.extensions[EXTENSION]
    version, key = current_version(), ("remembered", name)
    found = kept.get(version, key)
    if found is None:
        found = compute()
        kept.put(version, key, found)
    return found


def init_app(app: Flask) -> None:
    """After ``db.init_app``: how this process learns the version, made beside the app's engine
    (it connects when first asked)."""
    app.extensions[EXTENSION] = RenderedPages(app.config["PAGE_CACHE_SIZE"])
    with app.app_context():
        engine = db.engine
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    source: content_watch.VersionWatch | content_watch.FileReader | None = None
    if app.config["PAGE_CACHE"] and engine.dialect.name == "postgresql":
        source = content_watch.VersionWatch(engine, VERSION, options)
    elif app.config["PAGE_CACHE"] and engine.url.database not in (None, "", ":memory:"):
        source = content_watch.FileReader(engine, TABLE.name, AREA)
    app.extensions[WATCH] = source
