"""The admin blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.admin import log_views, views

bp = Blueprint("admin", __name__)

bp.add_url_rule("/admin/brugere", view_func=views.user_list, methods=["GET"])
bp.add_url_rule("/admin/brugere/ny", view_func=views.create_user, methods=["GET", "POST"])
bp.add_url_rule("/admin/brugere/<int:user_id>", view_func=views.user, methods=["GET"])
bp.add_url_rule("/admin/brugere/<int:user_id>/rolle", view_func=views.change_role, methods=["POST"])
bp.add_url_rule(
    "/admin/brugere/<int:user_id>/deaktiver",
    view_func=views.deactivate,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/admin/brugere/<int:user_id>/genaktiver", view_func=views.reactivate, methods=["POST"]
)
bp.add_url_rule(
    "/admin/brugere/<int:user_id>/invitation",
    endpoint="invite",
    view_func=views.make_link,
    methods=["POST"],
    defaults={"kind": "invitation"},
)
bp.add_url_rule(
    "/admin/brugere/<int:user_id>/nulstil",
    endpoint="reset_link",
    view_func=views.make_link,
    methods=["POST"],
    defaults={"kind": "nulstil"},
)
bp.add_url_rule("/admin/log", view_func=log_views.log, methods=["GET"])
