"""The kb blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.kb import views

bp = Blueprint("kb", __name__)
bp.add_url_rule("/vejviser/", view_func=views.guide_index, methods=["GET"])
bp.add_url_rule("/vejviser/<slug>", view_func=views.guide, methods=["GET"])
bp.add_url_rule("/sagsgange/", view_func=views.procedure_index, methods=["GET"])
bp.add_url_rule("/sagsgange/<slug>", view_func=views.procedure, methods=["GET"])
bp.add_url_rule("/ordliste", view_func=views.glossary, methods=["GET"])
bp.add_url_rule("/emne/<slug>", view_func=views.tag, methods=["GET"])
