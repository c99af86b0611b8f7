"""How many worker processes and threads a server runs, and so how many database connections
each process needs. ``gunicorn.conf.py`` and the app's configuration read the same numbers, so
the connection pool always fits the threads that use it.

``PORTAL_WORKERS`` and ``PORTAL_THREADS`` override the defaults: two processes per core (at
least 2, at most 12) and 4 threads each. A request does its work in one thread and holds at most
one connection for its transaction; the search outbox is applied after the commit in a session
of its own, so a thread may briefly hold a second.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_THREADS = 4
MAX_WORKERS = 12


class SizingError(ValueError):
    """A worker or thread count that is not a positive whole number."""


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _positive(environ: Mapping[str, str], name: str) -> int | None:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise SizingError(f"{name} skal være et positivt heltal, ikke {raw!r}.") from exc
    if value < 1:
        raise SizingError(f"{name} skal være et positivt heltal, ikke {raw!r}.")
    return value


def workers(environ: Mapping[str, str] = os.environ) -> int:
    return _positive(environ, "PORTAL_WORKERS") or min(max(2, 2 * cores()), MAX_WORKERS)


def threads(environ: Mapping[str, str] = os.environ) -> int:
    return _positive(environ, "PORTAL_THREADS") or DEFAULT_THREADS
