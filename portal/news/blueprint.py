"""The news blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.news import manage, views

bp = Blueprint("news", __name__)
bp.add_url_rule("/redaktion/nyheder/", view_func=manage.manage, methods=["GET"])
bp.add_url_rule("/redaktion/nyheder/ny", view_func=manage.create, methods=["GET", "POST"])
bp.add_url_rule("/redaktion/nyheder/<int:item_id>", view_func=manage.edit, methods=["GET", "POST"])
bp.add_url_rule(
    "/redaktion/nyheder/<int:item_id>/afpublicer", view_func=manage.unpublish, methods=["POST"]
)
bp.add_url_rule("/nyheder/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/nyheder/<slug>", view_func=views.item, methods=["GET"])
bp.add_url_rule("/nyheder.atom", view_func=views.feed, methods=["GET"])
bp.add_url_rule("/nyheder/videreformidling", view_func=views.pass_on, methods=["GET"])
bp.add_url_rule(
    "/nyheder/<int:item_id>/videreformidlet", view_func=views.passed_on, methods=["POST"]
)
