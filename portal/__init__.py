"""BIF-SOF Portalen: the intranet portal shared by BIF and SOF."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import cli, config, errors, security, templating
from portal.extensions import csrf, db, limiter, login_manager, migrate


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    register_extensions(app)
    register_features(app)
    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    if app.config["PROXY_FIX"]:
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def register_features(app: Flask) -> None:
    """Each feature registers its blueprint, setup steps and CLI commands."""
    from portal.auth import views as auth
    from portal.calendar import views as calendar
    from portal.contacts import views as contacts
    from portal.core import views as core
    from portal.editor import views as editor
    from portal.kb import views as kb
    from portal.news import views as news
    from portal.search import views as search

    for feature in (core, auth, search, kb, contacts, calendar, news, editor):
        feature.init_app(app)
