"""Logins, sessions and users."""

from flask import Flask

from portal.auth import cli, services, sessions
from portal.auth.blueprint import bp
from portal.cli import add_command, register_setup_step
from portal.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.load_session_user)
    app.before_request(sessions.enforce)  # before the login check of portal.security
    app.register_blueprint(bp)
    add_command(app, cli.user_cli)
    register_setup_step(app, "Demologins", cli.create_demo_users, order=90, demo_only=True)
