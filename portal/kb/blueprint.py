"""The kb blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.kb import edit_views, feedback_views, glossary_views, history_views, views

bp = Blueprint("kb", __name__)
bp.add_url_rule("/vejviser/", view_func=views.guide_index, methods=["GET"])
bp.add_url_rule("/vejviser/<slug>", view_func=views.guide, methods=["GET"])
bp.add_url_rule("/sagsgange/", view_func=views.procedure_index, methods=["GET"])
bp.add_url_rule("/sagsgange/<slug>", view_func=views.procedure, methods=["GET"])
bp.add_url_rule("/ordliste", view_func=views.glossary, methods=["GET"])
bp.add_url_rule("/emne/<slug>", view_func=views.tag, methods=["GET"])
bp.add_url_rule("/aendringer", view_func=views.changes, methods=["GET"])
bp.add_url_rule("/aendringer.atom", view_func=views.changes_feed, methods=["GET"])

# Editing in the browser (editors): edit, history, compare, restore, publication
SECTION = "<any(vejviser, sagsgange):section>"
for section in edit_views.KINDS:  # before /<section>/<slug>, which would take "ny"
    bp.add_url_rule(
        f"/{section}/ny",
        endpoint="new",
        view_func=edit_views.new,
        defaults={"section": section},
        methods=["GET", "POST"],
    )
bp.add_url_rule(f"/{SECTION}/<slug>/rediger", view_func=edit_views.edit, methods=["GET", "POST"])
bp.add_url_rule(
    f"/{SECTION}/<slug>/afpublicer",
    endpoint="unpublish",
    view_func=edit_views.set_published,
    defaults={"published": False},
    methods=["POST"],
)
bp.add_url_rule(
    f"/{SECTION}/<slug>/udgiv",
    endpoint="publish",
    view_func=edit_views.set_published,
    defaults={"published": True},
    methods=["POST"],
)
bp.add_url_rule(f"/{SECTION}/<slug>/historik", view_func=history_views.history, methods=["GET"])
bp.add_url_rule(
    f"/{SECTION}/<slug>/gennemgaaet", view_func=edit_views.mark_reviewed, methods=["POST"]
)
bp.add_url_rule(f"/{SECTION}/<slug>/sammenlign", view_func=history_views.compare, methods=["GET"])
bp.add_url_rule(
    f"/{SECTION}/<slug>/historik/<int:number>/gendan",
    view_func=history_views.restore,
    methods=["POST"],
)

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

# The glossary in the browser (editors): add, change and remove terms; its history is the
# glossary page's (/vejviser/ordliste/historik).
bp.add_url_rule(
    "/ordliste/ny", endpoint="glossary_new", view_func=glossary_views.new, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/ordliste/<slug>/rediger",
    endpoint="glossary_edit",
    view_func=glossary_views.edit,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/ordliste/<slug>/fjern",
    endpoint="glossary_remove",
    view_func=glossary_views.remove,
    methods=["POST"],
)
