"""Log ind med kommunens konto: single sign-on through the municipality's identity provider
(OpenID Connect), roles from its groups, accounts made or linked at the first login."""

from flask import Flask

from portal import signals
from portal.sso import oidc, roles, views
from portal.sso.blueprint import bp


def init_app(app: Flask) -> None:
    roles.parse(app.config["SSO_GROUP_ROLES"])  # a mistake stops start-up, not a login
    oidc.init_app(app)
    app.register_blueprint(bp)
    signals.logging_out.connect(views.logout_url, app)
    app.jinja_env.globals["sso_configured"] = oidc.configured(app)
