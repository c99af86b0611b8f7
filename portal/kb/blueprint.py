"""The kb blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.kb import feedback_views, views

bp = Blueprint("kb", __name__)
bp.add_url_rule("/vejviser/", view_func=views.guide_index, methods=["GET"])
bp.add_url_rule("/vejviser/<slug>", view_func=views.guide, methods=["GET"])
bp.add_url_rule("/sagsgange/", view_func=views.procedure_index, methods=["GET"])
bp.add_url_rule("/sagsgange/<slug>", view_func=views.procedure, methods=["GET"])
bp.add_url_rule("/ordliste", view_func=views.glossary, methods=["GET"])
bp.add_url_rule("/emne/<slug>", view_func=views.tag, methods=["GET"])

# Reader feedback ("Er siden korrekt og nyttig?") and the editors' handling of it.
bp.add_url_rule(
    "/vejviser/<slug>/tilbagemelding", view_func=feedback_views.guide_feedback, methods=["POST"]
)
bp.add_url_rule(
    "/sagsgange/<slug>/tilbagemelding",
    view_func=feedback_views.procedure_feedback,
    methods=["POST"],
)
bp.add_url_rule("/redaktion/tilbagemeldinger", view_func=feedback_views.overview, methods=["GET"])
bp.add_url_rule(
    "/redaktion/tilbagemeldinger/<slug>", view_func=feedback_views.page_feedback, methods=["GET"]
)
bp.add_url_rule(
    "/redaktion/tilbagemeldinger/<int:feedback_id>/behandl",
    view_func=feedback_views.handle,
    methods=["POST"],
)
bp.add_app_template_global(feedback_views.feedback_block)
bp.add_app_template_global(feedback_views.editor_feedback)
