"""The sso blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.sso import views

bp = Blueprint("sso", __name__)
bp.add_url_rule("/login/kommune", view_func=views.start, methods=["GET"])
bp.add_url_rule("/login/kommune/svar", view_func=views.callback, methods=["GET"])
bp.add_url_rule("/saml/metadata", view_func=views.saml_metadata, methods=["GET"])
bp.add_url_rule("/saml/login", view_func=views.saml_start, methods=["POST"])
bp.add_url_rule("/saml/acs", view_func=views.saml_acs, methods=["POST"])
bp.add_url_rule("/saml/logout", view_func=views.saml_logout, methods=["GET"])
