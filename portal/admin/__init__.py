"""Administration: users and roles, one-time links, and the audit trail of every feature."""

from flask import Flask

from portal.admin.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
