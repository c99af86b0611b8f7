"""The search blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.search import views

bp = Blueprint("search", __name__)
bp.add_url_rule("/soeg", view_func=views.results, methods=["GET"])
bp.add_url_rule("/api/search", view_func=views.api_search, methods=["GET"])
bp.add_url_rule("/api/suggest", view_func=views.api_suggest, methods=["GET"])
bp.add_url_rule("/soeg/statistik", view_func=views.statistics, methods=["GET"])
