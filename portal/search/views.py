"""/soeg, the JSON API, suggestions and the editors' search statistics."""

import logging

from flask import Blueprint, Flask, abort, jsonify, render_template, request

from portal.cli import portal_cli, register_setup_step
from portal.extensions import db
from portal.search import services
from portal.search.cli import search_cli, setup_step
from portal.search.registry import ADMINISTRATIONS, KINDS
from portal.security import Role, role_required

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _query() -> str:
    text = request.args.get("q", "")
    if len(text) > services.MAX_QUERY_LENGTH:
        abort(400)
    return text


@bp.get("/soeg")
def results():
    text = _query()
    kind = request.args.get("type")
    administration = request.args.get("forvaltning")
    page = services.search(text, kind, administration, _page_number(request.args.get("side")))
    db.session.commit()  # the query log
    return render_template(
        "search/results.html",
        result=page,
        kind=kind if kind in KINDS else None,
        administration=administration if administration in ("BIF", "SOF") else None,
        kinds=KINDS,
        administrations=ADMINISTRATIONS,
    )


@bp.get("/api/search")
def api_search():
    text = _query()
    page = services.search(
        text,
        request.args.get("kind"),
        request.args.get("administration"),
        _page_number(request.args.get("page")),
    )
    db.session.commit()
    return jsonify(
        {
            "query": page.query,
            "total": page.total,
            "page": page.page,
            "results": [r.as_json() for r in page.results],
            "suggestion": page.suggestion,
        }
    )


@bp.get("/api/suggest")
def api_suggest():
    text = _query()
    return jsonify({"query": text, "suggestions": services.suggest(text)})


@bp.get("/soeg/statistik")
@role_required(Role.EDITOR)
def statistics():
    return render_template("search/statistics.html", stats=services.stats())


def _apply_pending_changes(response=None):
    """After a request (or CLI command) that committed searchable changes, index them, so a
    change is searchable when the request that made it returns."""
    if db.session.info.pop("search_pending", False):
        try:
            services.apply_pending()
        except Exception:
            db.session.rollback()
            log.exception("Applying search changes failed; they stay in the outbox")
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_apply_pending_changes)
    app.teardown_appcontext(lambda exc: None if exc else _apply_pending_changes())
    portal_cli.add_command(search_cli)
    register_setup_step(app, "Søgeindeks", setup_step, order=80)
