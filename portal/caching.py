"""HTTP caching where it is safe: revalidation (ETag, 304) for anonymous reading, long-lived
fingerprinted static files, and never a stored copy of a logged-in page.

- Anonymous GETs of the pages, feeds and search API in ``REVALIDATED`` get a weak ETag over the
  body and ``Cache-Control: no-cache`` (a browser or proxy may keep the copy but must ask each
  time; the answer to ``If-None-Match`` with the same ETag is a 304 without a body), and
  ``Vary: Cookie``. An answer that sets a cookie is left alone, and so is everything a logged-in
  person sees: ``security.set_security_headers`` marks it ``no-store``.
- Static files are linked with their content's hash (``/static/css/portal.css?v=1a2b3c4d5e6f``,
  added to every ``url_for("static", ...)``). A request with the current hash is answered with
  ``Cache-Control: public, max-age=31536000, immutable``: a new release changes the hash and so
  the address. Without it (or with an old hash) the file is revalidated each time.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

# Anonymous reading that is the same for everyone: guides and procedures, the feeds, search.
REVALIDATED = frozenset(
    {
        "kb.guide",
        "kb.procedure",
        "kb.changes_feed",
        "news.feed",
        "calendar.feed",
        "calendar.event_ics",
        "search.api_search",
        "search.api_suggest",
    }
)
IMMUTABLE = "public, max-age=31536000, immutable"
FINGERPRINT_PARAM = "v"


class Fingerprints:
    """The first 12 hex digits of each static file's SHA-256, recomputed when the file's
    modification time or size changes (a development server picks up an edited stylesheet)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).resolve()
        self._known: dict[str, tuple[int, int, str]] = {}
        self._lock = threading.Lock()

    def of(self, filename: str) -> str | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder):
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        known = self._known.get(filename)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        with self._lock:
            self._known[filename] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


def _fingerprints() -> Fingerprints:
    return current_app.extensions["portal_static_fingerprints"]


def add_fingerprint(endpoint: str, values: dict) -> None:
    """``url_defaults``: every link to a static file carries the file's hash."""
    if endpoint == "static" and FINGERPRINT_PARAM not in values and "filename" in values:
        digest = _fingerprints().of(values["filename"])
        if digest:
            values[FINGERPRINT_PARAM] = digest


def _cache_static(response: Response) -> Response:
    asked = request.args.get(FINGERPRINT_PARAM)
    filename = (request.view_args or {}).get("filename")
    current = _fingerprints().of(filename) if asked and filename else None
    if current and asked == current and response.status_code in (200, 304):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def _revalidate(response: Response) -> Response:
    """A weak ETag over the body, and 304 when the browser already has it."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or current_user.is_authenticated
    ):
        return response
    present = {name.lower() for name, _value in response.headers}  # one pass, not one per `in`
    if "set-cookie" in present or "cache-control" in present:
        return response
    response.add_etag(weak=True)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response.make_conditional(request)


def http_caching(response: Response) -> Response:
    if request.endpoint == "static":
        return _cache_static(response)
    if request.endpoint in REVALIDATED:
        return _revalidate(response)
    return response


def init_app(app: Flask) -> None:
    """After ``security.init_app``: Flask runs the later ``after_request`` function first, so
    this one sees the view's answer before the security headers are added."""
    static = app.static_folder or os.path.join(app.root_path, "static")
    app.extensions["portal_static_fingerprints"] = Fingerprints(static)
    app.url_defaults(add_fingerprint)
    app.after_request(http_caching)
