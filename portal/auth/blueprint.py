"""The auth blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.auth import views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
