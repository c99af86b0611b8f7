"""Log ind med kommunens konto: the redirect to the provider, its answer, and the way out."""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from joserfc.errors import JoseError
from requests import RequestException

from portal import ratelimit
from portal.auth import sessions
from portal.extensions import limiter
from portal.security import is_safe_next
from portal.sso import oidc, services

NEXT_KEY = "sso_next"
ID_TOKEN_KEY = "sso_id_token"  # noqa: S105 (a session key, not a secret)
NOT_CONFIRMED = "Kommunens login kunne ikke bekræfte, hvem du er. Prøv igen."


@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)  # an office shares one
def start():
    if not oidc.configured():
        abort(404)
    target = request.args.get("next")
    session[NEXT_KEY] = target if target and is_safe_next(target) else url_for("core.index")
    return oidc.client().authorize_redirect(url_for("sso.callback", _external=True))


def _refused(error: services.Refused):
    services.record_refusal(error)
    return render_template(
        "sso/refused.html", message=error.message, help=current_app.config["SSO_HELP"]
    ), 403


@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address)  # an office shares one
def callback():
    if not oidc.configured():
        abort(404)
    if "error" in request.args:  # the provider said no (the person cancelled, no access)
        reason = (
            f"provider: {request.args.get('error')} {request.args.get('error_description', '')}"
        )
        return _refused(services.Refused(NOT_CONFIRMED, reason))
    try:
        token = oidc.client().authorize_access_token()
        claims = token.get("userinfo")
        if not claims:
            raise services.Refused(NOT_CONFIRMED, "no id_token in the token response")
        user = services.sign_in(oidc.identity(dict(claims)))
    except services.Refused as error:
        return _refused(error)
    except (AuthlibBaseError, JoseError, RequestException, KeyError, ValueError) as error:
        return _refused(services.Refused(NOT_CONFIRMED, f"{type(error).__name__}: {error}"))
    target = session.get(NEXT_KEY) or url_for("core.index")
    session.clear()  # a fresh session: nothing from before login survives
    login_user(user)
    sessions.start()
    session[ID_TOKEN_KEY] = token.get("id_token")
    flash(f"Du er logget ind som {user.name}.", "success")
    return redirect(target)


def logout_url(sender, **kwargs) -> str | None:
    """``signals.logging_out``: where to end the provider's session too (RP-initiated
    logout), for a session that began there; None otherwise."""
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
