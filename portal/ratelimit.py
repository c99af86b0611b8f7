"""Rate limits that fit an intranet.

A jobcentre's staff reach the portal through one proxy or NAT address, so ordinary reading is
never limited per address: a default limit (``PORTAL_RATELIMIT_DEFAULT``, off unless set) counts
each signed-in person, and anonymous reading is not counted at all. Login and the password
forms stay strict: each is limited per account and client address, and a looser ceiling per
address holds back guessing across many accounts. (The database's login throttle in
``auth/throttle.py`` counts failures per account across every process besides.)

The client address is ``request.remote_addr``: the real client's behind the
``PORTAL_PROXY_FIX`` trusted proxies (ProxyFix), the connecting peer's otherwise, so that an
``X-Forwarded-For`` header is ignored unless a trusted proxy set it. Accounts and tokens are
hashed before they become a key in the limiter's storage (Redis holds no e-mail addresses).
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_limiter.util import get_qualified_name, get_remote_address
from flask_login import current_user


def client_address() -> str:
    return get_remote_address()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def per_reader() -> str:
    """The key of the default limit: the signed-in person (never the shared address)."""
    if current_user.is_authenticated:
        return f"bruger:{current_user.id}"
    return client_address()


def is_anonymous() -> bool:
    """Default limits skip anonymous reading: an office shares one address."""
    return not current_user.is_authenticated


def nothing_to_count() -> bool:
    """``Limiter.request_filter``: an anonymous request to a view without limits of its own
    (login, the password forms and single sign-on have theirs) skips the limiter: the default
    limit skips anonymous readers (``is_anonymous``), so it would count nothing, and only
    looking that up would cost (a fifth of the time a page from the cache takes)."""
    from portal.extensions import limiter  # made with this module's key functions

    if current_user.is_authenticated:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return view is not None and not limiter.limit_manager.decorated_limits(get_qualified_name(view))


def per_address() -> str:
    return f"adresse:{client_address()}"


def per_account_and_address() -> str:
    """The account a login form names (as typed, case-insensitive) at this address."""
    account = (request.form.get("email") or "").strip().lower()[:320]
    return f"konto:{_digest(account)}:{client_address()}"


def per_user_and_address() -> str:
    """The signed-in account at this address (forms behind login)."""
    user = current_user.id if current_user.is_authenticated else "-"
    return f"bruger:{user}:{client_address()}"


def per_link_and_address() -> str:
    """The one-time link (and so the account) a reset form is posted to, at this address."""
    token = str((request.view_args or {}).get("token", ""))
    return f"link:{_digest(token)}:{client_address()}"


def account_rate() -> str:
    return str(current_app.config["LOGIN_RATE_PER_ACCOUNT"])


def address_rate() -> str:
    return str(current_app.config["LOGIN_RATE_PER_ADDRESS"])
