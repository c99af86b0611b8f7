"""The front page, the accessibility statement and the health checks."""

from flask import Flask

from portal.core.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
