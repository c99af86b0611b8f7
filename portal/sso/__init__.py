"""Log ind med kommunens konto: single sign-on through the municipality's identity provider
(OpenID Connect or SAML 2.0), roles from its groups, accounts made or linked at the first
login."""

from flask import Flask

from portal import signals
from portal.security import content_security_policy
from portal.sso import header, oidc, roles, saml, views
from portal.sso.blueprint import bp


def init_app(app: Flask) -> None:
    roles.parse(app.config["SSO_GROUP_ROLES"])  # a mistake stops start-up, not a login
    oidc.init_app(app)
    app.register_blueprint(bp)
    signals.logging_out.connect(views.logout_url, app)
    if app.config["TRUSTED_HEADER"]:
        app.before_request(header.log_in_from_header)
    targets = sorted(oidc.origins(app) | saml.origins(app))
    if targets:
        app.config["CSP"] = content_security_policy(targets)
    app.jinja_env.globals["sso_configured"] = oidc.configured(app) or saml.configured(app)
    app.jinja_env.globals["saml_configured"] = saml.configured(app)
    app.jinja_env.globals["oidc_configured"] = oidc.configured(app)
