"""Log ind med kommunens konto: the way to the provider (OpenID Connect or SAML 2.0), its
answer, and the way out."""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from joserfc.errors import JoseError
from requests import RequestException

from portal import ratelimit
from portal.auth import sessions
from portal.auth.models import User
from portal.db import writes_on_get
from portal.extensions import csrf, limiter
from portal.forms import ConfirmForm
from portal.security import is_safe_next
from portal.sso import oidc, saml, services

NEXT_KEY = "sso_next"
ID_TOKEN_KEY = "sso_id_token"  # noqa: S105 (a session key, not a secret)
SAML_LOGOUT_KEY = "sso_saml_logout"
NOT_CONFIRMED = "Kommunens login kunne ikke bekræfte, hvem du er. Prøv igen."


def _next() -> str:
    target = request.args.get("next") or request.form.get("next")
    return target if target and is_safe_next(target) else url_for("core.index")


def _logged_in(user: User, target: str, **remember: object):
    sessions.log_in(user)
    session.update(remember)
    flash(f"Du er logget ind som {user.name}.", "success")
    return redirect(target if is_safe_next(target) else url_for("core.index"))


@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)  # an office shares one
def start():
    if not oidc.configured():
        abort(404)
    session[NEXT_KEY] = _next()
    return oidc.client().authorize_redirect(url_for("sso.callback", _external=True))


def refused(error: services.Refused):
    """The refusal page (403), the refusal audited."""
    services.record_refusal(error)
    return render_template(
        "sso/refused.html", message=error.message, help=current_app.config["SSO_HELP"]
    ), 403


@writes_on_get  # signs the person in, and may make their account
@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)  # an office shares one
def callback():
    if not oidc.configured():
        abort(404)
    if "error" in request.args:  # the provider said no (the person cancelled, no access)
        reason = (
            f"provider: {request.args.get('error')} {request.args.get('error_description', '')}"
        )
        return refused(services.Refused(NOT_CONFIRMED, reason))
    try:
        token = oidc.client().authorize_access_token()
        claims = token.get("userinfo")
        if not claims:
            raise services.Refused(NOT_CONFIRMED, "no id_token in the token response")
        user = services.sign_in(oidc.identity(dict(claims)))
    except services.Refused as error:
        return refused(error)
    except (AuthlibBaseError, JoseError, RequestException, KeyError, ValueError) as error:
        return refused(services.Refused(NOT_CONFIRMED, f"{type(error).__name__}: {error}"))
    target = session.get(NEXT_KEY) or url_for("core.index")
    return _logged_in(user, target, **{ID_TOKEN_KEY: token.get("id_token")})


def saml_metadata():
    """The service provider's metadata, for the IdP administrator."""
    if not saml.configured():
        abort(404)
    return Response(saml.metadata_xml(), mimetype="application/samlmetadata+xml")


@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)
def saml_start():
    """A POST (the login page's button): it stores the request the answer must match."""
    if not saml.configured():
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return redirect(saml.start(_next()))


@csrf.exempt  # the IdP posts the answer from its own site; the signed response is the check
@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)
def saml_acs():
    if not saml.configured():
        abort(404)
    posted = request.form.get("SAMLResponse")
    try:
        if not posted:
            raise services.Refused(NOT_CONFIRMED, "no SAMLResponse")
        identity, target, logout = saml.answer(posted)
        user = services.sign_in(identity)
    except services.Refused as error:
        return refused(error)
    return _logged_in(user, target, **{SAML_LOGOUT_KEY: logout})


def saml_logout():
    """Where the IdP sends the browser back after single logout: the portal's session ended
    before the browser went there."""
    if not saml.configured():
        abort(404)
    flash("Du er logget ud.", "success")
    return redirect(url_for("core.index"))


def logout_url(sender, **kwargs) -> str | None:
    """``signals.logging_out``: where to end the provider's session too (OIDC RP-initiated
    logout, SAML single logout), for a session that began there; None otherwise."""
    if session.get(SAML_LOGOUT_KEY) and saml.configured():
        return saml.logout_url(session[SAML_LOGOUT_KEY])
    id_token = session.get(ID_TOKEN_KEY)
    if not id_token or not oidc.configured():
        return None
    try:
        found = oidc.client().create_logout_url(
            post_logout_redirect_uri=url_for("core.index", _external=True),
            id_token_hint=id_token,
        )
    except (RuntimeError, RequestException):  # the provider has no end_session_endpoint
        return None
    return found["url"]
