"""Logins, sessions and users."""

from flask import Flask

from portal import mail
from portal.auth import cli, mails, services, sessions
from portal.auth.blueprint import bp
from portal.cli import add_command, register_setup_step
from portal.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.load_session_user)
    app.session_interface = sessions.CookieSessions()
    app.before_request(sessions.enforce)  # before the login check of portal.security
    app.register_blueprint(bp)
    add_command(app, cli.user_cli)
    for purpose in mails.PURPOSES:  # the one-time links in queued mail, signed when sent
        mail.register_link(app, purpose, mails.make_link)
    register_setup_step(app, "Demologins", cli.create_demo_users, order=90, demo_only=True)
