"""Trusted-header login: a reverse proxy that has authenticated the person passes who it is
(``REMOTE_USER``, or a named header such as ``X-Remote-User``, and optionally their groups).

Off by default, and honoured only when the request comes straight from one of the configured
proxy addresses (the peer, before ``ProxyFix`` reads any forwarded header): from anywhere else,
the header is someone claiming to be someone, and the request is refused and audited.
"""

from __future__ import annotations

import ipaddress

from flask import current_app, request, session
from flask_login import current_user

from portal.auth import sessions
from portal.sso import services
from portal.sso.views import refused
from portal.transaction import transaction

HEADER_LOGIN_KEY = "sso_header"


def _peer() -> str:
    """The address that connected to us (a proxy), not what a forwarded header claims."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR", "")


def _trusted(address: str) -> bool:
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        peer in ipaddress.ip_network(network, strict=False)
        for network in current_app.config["TRUSTED_HEADER_PROXIES"]
    )


def _claimed() -> str | None:
    name = current_app.config["TRUSTED_HEADER"]
    if name == "REMOTE_USER":
        value = request.environ.get("REMOTE_USER")
    else:
        value = request.headers.get(name)
    return value.strip() if value and value.strip() else None


def log_in_from_header():
    """``before_request``: log the person in whom a trusted proxy names; refuse a header that
    comes from anywhere else."""
    if not current_app.config["TRUSTED_HEADER"] or request.endpoint == "static":
        return None
    claimed = _claimed()
    if claimed is None:
        return None
    if not _trusted(_peer()):
        error = services.Refused(
            "Din forespørgsel kom ikke gennem kommunens login.",
            f"trusted header from untrusted address {_peer()}",
            claimed[:60],
        )
        return refused(error)
    if current_user.is_authenticated and session.get(HEADER_LOGIN_KEY) == claimed.lower():
        return None
    groups_header = current_app.config["TRUSTED_HEADER_GROUPS"]
    groups = request.headers.get(groups_header, "") if groups_header else ""
    identity = services.Identity(
        protocol="header",
        issuer="reverse-proxy",
        subject=claimed.lower(),
        email=claimed.lower() if "@" in claimed else None,
        name=None,
        groups=tuple(g.strip() for g in groups.split(",") if g.strip()),
    )
    try:
        with transaction():  # the login stands on its own, whatever the page then does
            user = services.sign_in(identity)
    except services.Refused as error:
        return refused(error)
    sessions.log_in(user)
    session[HEADER_LOGIN_KEY] = claimed.lower()
    return None
