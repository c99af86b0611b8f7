"""The core blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.core import views

bp = Blueprint("core", __name__)
bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/tilgaengelighed", view_func=views.accessibility, methods=["GET"])
bp.add_url_rule("/healthz", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/readyz", view_func=views.readyz, methods=["GET"])
