"""Roles, access decorators, public-read gate and security headers."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.errors import Forbidden
from portal.extensions import login_manager


class Role(StrEnum):
    STAFF = "staff"  # reads, registers for meetings
    CONTACT = "contact"  # also edits their own contact profile
    EDITOR = "editor"  # the special unit: pages, news, calendar, contact persons
    ADMIN = "admin"  # users and roles

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.STAFF: "Medarbejder",
    Role.CONTACT: "Kontaktperson",
    Role.EDITOR: "Redaktør",
    Role.ADMIN: "Administrator",
}

# What each role may also do: an admin can do what an editor can, and so on.
IMPLIED_ROLES: dict[Role, frozenset[Role]] = {
    Role.STAFF: frozenset({Role.STAFF}),
    Role.CONTACT: frozenset({Role.STAFF, Role.CONTACT}),
    Role.EDITOR: frozenset({Role.STAFF, Role.EDITOR}),
    Role.ADMIN: frozenset({Role.STAFF, Role.EDITOR, Role.ADMIN}),
}


def has_role(user, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return role in IMPLIED_ROLES[Role(user.role)]


def role_required(role: Role) -> Callable:
    """Let only logged-in users with ``role`` (or a role that implies it) through.

    Anonymous users are sent to the login page; others get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_role(current_user, role):
                raise Forbidden()
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]  # read by the access tests
        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths are safe redirect targets after login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


# Endpoints open to everyone even when reading requires login.
# (An invitation is how a new user sets a password, and a reset link how a user who has
# forgotten it sets a new one: both must open before login, as must asking for one.)
ALWAYS_OPEN = {
    "static",
    "auth.login",
    "auth.reset_password",
    "auth.forgot_password",
    "sso.start",
    "sso.callback",
    "sso.saml_metadata",
    "sso.saml_start",
    "sso.saml_acs",
    "sso.saml_logout",
    "core.healthz",
    "core.readyz",
    "ops.metrics",  # only for the configured addresses or token (portal/ops/metrics.py)
    "core.accessibility",
    "contacts.accept_invite",
    "contacts.confirm_by_link",  # a reminder's one-click link: the signed link is the login
    "calendar.token_feed",  # a personal feed for Outlook: the secret address is the login
    "calendar.token_mine",
}


def require_login_for_reading() -> Response | None:
    if current_app.config["PUBLIC_READ"] or current_user.is_authenticated:
        return None
    if request.endpoint in ALWAYS_OPEN or request.endpoint is None:
        return None
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def content_security_policy(form_targets: list[str] | tuple[str, ...] = ()) -> str:
    """The policy; ``form_targets`` are other origins a form may lead to (single sign-on: a
    login or logout form's answer redirects to the identity provider, and browsers hold such
    redirects to ``form-action``)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            " ".join(["form-action 'self'", *form_targets]),
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()


# Every answer's headers, unless the view chose its own (the policy comes from the config).
HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def set_security_headers(response):
    policy = ("Content-Security-Policy", current_app.config.get("CSP", CONTENT_SECURITY_POLICY))
    wanted = [policy, *HEADERS]
    if request.is_secure:
        wanted.append(HSTS)
    if current_user.is_authenticated:
        # A logged-in page (a profile, a participant list, an export) is for this user only:
        # no browser or proxy may keep a copy (unless the view chose private caching).
        wanted.append(("Cache-Control", "no-store"))
    # One pass over the headers (each ``in`` on werkzeug's Headers is another).
    present = {name.lower() for name, _value in response.headers}
    missing = [(name, value) for name, value in wanted if name.lower() not in present]
    response.headers.extend(missing)
    return response


def init_app(app: Flask) -> None:
    app.before_request(require_login_for_reading)
    app.after_request(set_security_headers)
