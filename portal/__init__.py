"""BIF-SOF Portalen: the intranet portal shared by BIF and SOF."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import (
    caching,
    cli,
    config,
    errors,
    page_cache,
    privacy,
    routing,
    security,
    templating,
)
from portal.extensions import csrf, db, limiter, login_manager, migrate
from portal.transaction import Portal


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Portal(__name__, instance_relative_config=True)
    config.load(app, test_config)
    register_extensions(app)
    routing.init_app(app)
    cli.init_app(app)
    register_features(app)
    errors.init_app(app)
    privacy.init_app(app)
    security.init_app(app)
    caching.init_app(app)  # after security: its after_request runs first
    page_cache.init_app(app)
    templating.init_app(app)
    if app.config["PROXY_FIX"]:
        # The client's address, the scheme and the host (which TRUSTED_HOSTS checks); never a
        # path prefix, which a proxy passes on from the client unless told to overwrite it:
        # it went into every link of a page the anonymous page cache then served to everyone.
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=0
        )
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def register_features(app: Flask) -> None:
    """Each feature's ``init_app`` registers its blueprint, search source, CLI commands, setup
    steps and signal receivers; nothing else knows the feature exists."""
    from portal import (
        admin,
        auth,
        calendar,
        contacts,
        core,
        editor,
        kb,
        mail,
        news,
        ops,
        search,
        sso,
    )

    for feature in (
        core,
        auth,
        sso,
        mail,
        search,
        kb,
        contacts,
        calendar,
        news,
        editor,
        admin,
        ops,
    ):
        feature.init_app(app)
