"""The auth blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.auth import account_views, views

bp = Blueprint("auth", __name__)
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/min-konto", view_func=account_views.account, methods=["GET"])
bp.add_url_rule(
    "/min-konto/adgangskode", view_func=account_views.change_password, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/min-konto/log-ud-overalt", view_func=account_views.logout_everywhere, methods=["POST"]
)
bp.add_url_rule(
    "/glemt-adgangskode", view_func=account_views.forgot_password, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/nulstil-adgangskode/<token>",
    view_func=account_views.reset_password,
    methods=["GET", "POST"],
)
