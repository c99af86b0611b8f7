"""OpenID Connect with Authlib: the authorization code flow with PKCE (S256), state and nonce.

Authlib checks the ID token: its signature against the provider's JWKS (fetched again when a
token names an unknown key id), issuer, audience, expiry and nonce. This module reads the
configured claims into an ``Identity``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from portal.sso.services import Identity, groups_from

NAME = "kommune"


def configured(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("OIDC_DISCOVERY_URL"))


def init_app(app: Flask) -> None:
    if not configured(app):
        return
    config = app.config
    oauth = OAuth(app)
    oauth.register(
        NAME,
        server_metadata_url=config["OIDC_DISCOVERY_URL"],
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256"},
    )
    app.extensions["portal_oidc"] = oauth


def origins(app: Flask) -> set[str]:
    """Where the login and logout redirects lead: the provider's origin (its discovery
    document's; Entra ID and AD FS serve their endpoints from there)."""
    if not configured(app):
        return set()
    parts = urlsplit(app.config["OIDC_DISCOVERY_URL"])
    return {f"{parts.scheme}://{parts.netloc}"}


def client() -> Any:
    return current_app.extensions["portal_oidc"].create_client(NAME)


def identity(claims: dict[str, Any]) -> Identity:
    config = current_app.config
    email = claims.get(config["OIDC_EMAIL_CLAIM"])
    return Identity(
        protocol="oidc",
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=str(email).strip().lower() if email else None,
        name=claims.get(config["OIDC_NAME_CLAIM"]),
        groups=groups_from(claims.get(config["OIDC_GROUPS_CLAIM"])),
        email_verified=claims.get("email_verified", True) is not False,
    )
