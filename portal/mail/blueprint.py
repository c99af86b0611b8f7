"""The mail blueprint: every route, registered explicitly from the view modules."""

from flask import Blueprint

from portal.mail import views

bp = Blueprint("mail", __name__)
bp.add_url_rule("/min-konto/e-mail", view_func=views.settings, methods=["GET", "POST"])
bp.add_url_rule("/admin/post", view_func=views.messages, methods=["GET"])
bp.add_url_rule("/admin/post/<int:message_id>", view_func=views.message, methods=["GET"])
bp.add_url_rule("/admin/post/<int:message_id>/send-igen", view_func=views.retry, methods=["POST"])
