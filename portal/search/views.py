"""/soeg, the JSON API, suggestions and the editors' search statistics."""

from flask import jsonify, render_template, request

from portal.administration import CHOICES, chosen_filter
from portal.errors import ValidationError
from portal.search import querylog, services
from portal.search.registry import KINDS
from portal.security import Role, role_required


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _query() -> str:
    """:raises ValidationError: for a query longer than the search box allows (a link or the
    API can send one)."""
    text = request.args.get("q", "")
    if len(text) > services.MAX_QUERY_LENGTH:
        raise ValidationError(
            f"Søgningen er for lang: højst {services.MAX_QUERY_LENGTH} tegn. Gør den kortere, "
            "og prøv igen."
        )
    return text


def results():
    text = _query()
    kind = request.args.get("type")
    administration = request.args.get("forvaltning")
    page = services.search(text, kind, administration, _page_number(request.args.get("side")))
    querylog.log_query(page.query, page.total)
    return render_template(
        "search/results.html",
        result=page,
        kind=kind if kind in KINDS else None,
        administration=chosen_filter(administration),
        kinds=KINDS,
        administrations=CHOICES,
    )


def api_search():
    text = _query()
    page = services.search(
        text,
        request.args.get("kind"),
        request.args.get("administration"),
        _page_number(request.args.get("page")),
    )
    querylog.log_query(page.query, page.total)
    return jsonify(page.as_json())


def api_suggest():
    text = _query()
    return jsonify({"query": text, "suggestions": services.suggest(text)})


@role_required(Role.EDITOR)
def statistics():
    return render_template("search/statistics.html", stats=querylog.stats())
