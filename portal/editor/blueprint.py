"""The editor blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.editor import views

bp = Blueprint("editor", __name__)
bp.add_url_rule("/redaktion", view_func=views.index, methods=["GET"])
bp.add_url_rule("/redaktion/genveje", view_func=views.shortcuts, methods=["GET", "POST"])
bp.add_url_rule(
    "/redaktion/genveje/<int:shortcut_id>/fjern", view_func=views.remove_shortcut, methods=["POST"]
)
bp.add_url_rule("/redaktion/forhaandsvisning", view_func=views.preview, methods=["POST"])
