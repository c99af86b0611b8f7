"""Each request observed once, around the whole app: a JSON log line (``PORTAL_LOG_JSON``) and
the request metrics (``PORTAL_METRICS``).

A log line holds the time, method, path (without the query: a search for a name stays out of
it; one-time link tokens and CPR numbers are removed from the path too), the endpoint, the
status and the duration in milliseconds. No client address, no user, no user agent, no referrer.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from flask import Flask, request
from werkzeug.wrappers import Response

from portal.privacy import INVITATION, contains_cpr, without_cpr

ENDPOINT_KEY = "portal.endpoint"
LOGGER = "portal.request"
log = logging.getLogger(LOGGER)


def safe_path(path: str) -> str:
    """The path as it may be logged: one-time tokens and CPR numbers removed."""
    decoded = unquote(path)
    if contains_cpr(decoded):
        path = without_cpr(decoded)
    return INVITATION.sub(r"/\1/[skjult]", path)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None) or {"message": record.getMessage()}
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return json.dumps({"time": when, **fields}, ensure_ascii=False)


def use_json_log() -> None:
    """Request lines go to standard error as JSON, once per process."""
    if any(isinstance(h.formatter, JsonLines) for h in log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


Observer = Callable[[dict[str, Any]], None]


class Observe:
    """WSGI middleware: time the request, take its status, and hand the facts to the
    observers (the JSON log, the metrics). The endpoint comes from the app (``remember``)."""

    def __init__(self, wsgi_app: Callable, observers: Sequence[Observer]) -> None:
        self.wsgi_app = wsgi_app
        self.observers = observers

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        status: list[int] = []

        def observed_start(code: str, headers: list, exc_info: Any = None) -> Callable:
            status.append(int(code.split(" ", 1)[0]))
            return start_response(code, headers, exc_info)

        try:
            return self.wsgi_app(environ, observed_start)
        finally:
            facts = {
                "method": environ.get("REQUEST_METHOD", ""),
                "path": safe_path(environ.get("PATH_INFO", "")),
                "endpoint": environ.get(ENDPOINT_KEY) or "-",
                "status": status[-1] if status else 500,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
            for observer in self.observers:
                observer(facts)


def log_request(facts: dict[str, Any]) -> None:
    log.info("%s %s %s", facts["method"], facts["path"], facts["status"], extra={"fields": facts})


def remember(response: Response) -> Response:
    """``after_request``: the endpoint that answered, for the middleware."""
    request.environ[ENDPOINT_KEY] = request.endpoint or "-"
    return response


def init_app(app: Flask, observers: Sequence[Observer]) -> None:
    if app.config["LOG_JSON"]:
        use_json_log()
        observers = [log_request, *observers]
    if observers:
        app.after_request(remember)
        app.wsgi_app = Observe(app.wsgi_app, observers)  # type: ignore[method-assign]
