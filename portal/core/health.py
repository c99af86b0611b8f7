"""The readiness probe's database check, bounded in time.

A database that does not answer (a server down behind a firewall that drops packets, a full
connection pool) would hold the probe until the connect or pool timeout; a load balancer needs
its answer sooner. The check runs in one thread per process and engine, and the probe waits at
most ``READY_TIMEOUT`` seconds for it. A check still running from an earlier probe is waited on
again rather than started twice, so a database that is down never piles up threads.

The check uses a raw pooled connection: no SQLAlchemy transaction, so on SQLite no ``BEGIN
IMMEDIATE`` and no write lock for a probe.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import sqlalchemy as sa

log = logging.getLogger(__name__)

READY_TIMEOUT = 1.5  # seconds; /readyz must answer within 2

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_owner_pid = 0
_running: dict[int, Future[str]] = {}


def _ping(engine: sa.Engine) -> str:
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        finally:
            connection.close()
    except Exception:  # any failure of the driver or the pool means: not ready
        log.warning("Readiness: the database does not answer", exc_info=True)
        return "unreachable"
    return "ok"


def _check(engine: sa.Engine) -> Future[str]:
    global _executor, _owner_pid
    with _lock:
        if _executor is None or _owner_pid != os.getpid():  # a forked worker starts afresh
            _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")
            _owner_pid = os.getpid()
            _running.clear()
        future = _running.get(id(engine))
        if future is None or future.done():
            future = _running[id(engine)] = _executor.submit(_ping, engine)
        return future


def database(engine: sa.Engine, timeout: float = READY_TIMEOUT) -> str:
    """``ok``, ``unreachable`` (it answered with an error) or ``timeout`` (no answer yet)."""
    try:
        return _check(engine).result(timeout=timeout)
    except FutureTimeout:
        log.warning("Readiness: no answer from the database within %.1f s", timeout)
        return "timeout"
