"""How a process learns the content version for a cached view before the request's transaction
begins (issue 17, ``portal/page_cache.py``): on SQLite a read of its own (``FileReader``), on
PostgreSQL the database's notifications (``VersionWatch``).

On SQLite each thread reads the row on a connection of its own, in autocommit: about 20 µs,
against 200 through the request's session (BEGIN, SELECT, COMMIT through SQLAlchemy). A commit
is in the file when it returns, so the next view of any process reads it.

On PostgreSQL a round trip per view was a third of a kept page's time, so each process is told.

A transaction that adds 1 to the version also sends ``NOTIFY portal_content_version`` with
the new number. PostgreSQL delivers a notification when, and only if, its transaction
commits, to every session that listens: here one connection a process, kept by a thread of
its own. So a kept page costs no query at all, and an edit reaches every worker and server a
moment after its commit (the notification's trip, milliseconds). The process that committed
knows its version at once (``saw``, after its own commit): its next view shows the change.

While the listener is not connected (starting, or after the server dropped its connection),
``current()`` says None and the view reads the version through its session; the listener
connects again after ``RETRY`` seconds. Every ``CONFIRM`` seconds it reads the version anyway,
which also finds a connection that died without telling and follows a database that went
back (a restore). Disposing of the app's engine stops the thread; the next view starts it
again.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

CHANNEL = "portal_content_version"
APPLICATION = "portal content version"  # the listener's name in pg_stat_activity
WAKE = 1.0  # seconds the listener waits for a notification before it checks for a stop
CONFIRM = 10.0  # seconds between reads that confirm the version and the connection
RETRY = 2.0  # seconds before the listener connects again after a failure


class VersionWatch:
    """The content version as the last notification (or read) said, for one app's engine."""

    def __init__(self, engine: sa.Engine, version: sa.Select, connect_args: dict) -> None:
        self.engine = sa.create_engine(
            engine.url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args=connect_args | {"application_name": APPLICATION},
        )
        self.retry, self.confirm = RETRY, CONFIRM
        self.statement = version
        self.version: int | None = None
        self._lock = threading.Lock()
        self._stopping: threading.Event | None = None
        event.listen(engine, "engine_disposed", lambda _: self.stop())

    def current(self) -> int | None:
        """The version, or None while the listener is not connected (then read it)."""
        if self._stopping is None:
            self._start()
        return self.version

    def saw(self, version: int) -> None:
        """A version this process committed, or one it was told of: never step back."""
        with self._lock:
            if self.version is not None and version > self.version:
                self.version = version

    def stop(self) -> None:
        with self._lock:
            if self._stopping is not None:
                self._stopping.set()
            self._stopping, self.version = None, None

    def _start(self) -> None:
        with self._lock:
            if self._stopping is not None:
                return
            self._stopping = threading.Event()
        thread = threading.Thread(
            target=self._listen, args=(self._stopping,), name="content-version", daemon=True
        )
        thread.start()

    def _listen(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                with self.engine.connect() as connection:
                    self._follow(connection, stopping)
            except Exception:
                if not stopping.is_set():  # not when stopped on purpose (the engine disposed)
                    log.warning("Lost the content version's notifications; reading it meanwhile")
            with self._lock:
                if self._stopping is stopping:
                    self.version = None
            stopping.wait(self.retry)

    def _follow(self, connection: sa.Connection, stopping: threading.Event) -> None:
        connection.exec_driver_sql(f"LISTEN {CHANNEL}")
        driver = connection.connection.driver_connection
        confirmed = 0.0
        while not stopping.is_set():
            if time.monotonic() - confirmed >= self.confirm:
                read = connection.scalar(self.statement) or 0
                confirmed = time.monotonic()
                # The database's word, also a lower number (a restore). Listening began before
                # the read, so a commit that passed it is still notified: at worst the version
                # steps back for a moment, and a step back only makes pages miss the cache.
                with self._lock:
                    if self._stopping is stopping:
                        self.version = read
            for notice in driver.notifies(timeout=WAKE):  # type: ignore[union-attr]
                self.saw(int(notice.payload))


def notify(connection: sa.Connection, version: int) -> None:
    """Tell every listener of ``version`` when the caller's transaction commits."""
    connection.execute(sa.select(sa.func.pg_notify(CHANNEL, str(version))))


class FileReader:
    """SQLite: the version read on each thread's own connection (see the module)."""

    def __init__(self, engine: sa.Engine, table: str, area: str) -> None:
        self.path = str(engine.url.database)
        self.sql = f"SELECT version FROM {table} WHERE area = ?"  # noqa: S608  # our table name
        self.area = area
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        event.listen(engine, "engine_disposed", lambda _: self.close())

    def current(self) -> int | None:
        """The committed version, or None if it cannot be read here (the view reads it)."""
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False
                )
                with self._lock:
                    self._opened.append(connection)
                self._local.connection = connection
            row = connection.execute(self.sql, (self.area,)).fetchone()
        except sqlite3.Error:  # closed with the engine, or no table yet: the next view opens anew
            self._local.connection = None
            if connection is not None:
                self._forget(connection)
            return None
        return row[0] if row else 0

    def _forget(self, connection: sqlite3.Connection) -> None:
        with self._lock:
            if connection in self._opened:
                self._opened.remove(connection)
        connection.close()

    def saw(self, version: int) -> None:
        """The next read finds a commit of this process too."""

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
