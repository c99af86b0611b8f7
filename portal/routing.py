"""What a URL may hold before any view sees it: ids that fit the database's integer column,
and no NUL bytes (PostgreSQL refuses them in text, so they would end as a 500)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, has_request_context, request, url_for
from flask.globals import request_ctx
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; larger ids exist nowhere, so they are a 404


class IdConverter(IntegerConverter):
    """``<int:...>``: a non-negative integer up to ``MAX_ID``; anything else is no route."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul_bytes() -> None:
    """A NUL byte anywhere in the path, the query or a form field is a 400."""
    fields = [request.path, *request.args.values()]
    if request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        fields.extend(request.form.values())
    if any("\x00" in value for value in fields):
        abort(400)


def use_base_url_scheme() -> None:
    """With ``PORTAL_BASE_URL``, absolute links take its scheme too, not the request's (a proxy
    may talk plain HTTP to the portal)."""
    adapter = request_ctx.url_adapter
    if adapter is not None:
        adapter.url_scheme = current_app.config["PREFERRED_URL_SCHEME"]


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute link (mail, calendar files), also outside a request (``portal jobs run``):
    at ``PORTAL_BASE_URL``; without it, at the request's host, or localhost in development."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config.get("BASE_URL") or "http://localhost:5000")
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/")
    return adapter.build(endpoint, values, url_scheme=base.scheme, force_external=True)


def init_app(app: Flask) -> None:
    """Before the features register their routes."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
    if app.config.get("BASE_URL"):
        app.before_request(use_base_url_scheme)
