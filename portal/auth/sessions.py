"""Session lifetimes: a session ends after a while without use (sooner for editors and admins,
who can change what everyone reads) and at the latest a fixed time after login, however much
it is used. Both times live in the signed session cookie, so no database work is needed."""

from __future__ import annotations

import time

from flask import Flask, Request, current_app, flash, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user

from portal.security import Role, has_role

LOGIN_AT, SEEN_AT = "login_at", "seen_at"
TOUCH_EVERY = 60  # seconds: "last seen" is written at most once a minute


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without making the signer for a request that brings no
    session cookie (every anonymous reader): its session starts empty."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def _now() -> float:
    return time.time()


def start() -> None:
    """Call right after login."""
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = now
    session.permanent = True


def log_in(user) -> None:
    """A fresh session for ``user``: nothing from before login survives (password, reset link,
    single sign-on and the trusted header all log in this way)."""
    session.clear()
    login_user(user)
    start()


def _idle_limit() -> float:
    config = current_app.config
    privileged = has_role(current_user, Role.EDITOR)
    limit = config["SESSION_IDLE_PRIVILEGED"] if privileged else config["SESSION_IDLE"]
    return limit.total_seconds()


def enforce() -> None:
    """Before each request: end a session that has been idle too long or lived too long."""
    if not current_user.is_authenticated:
        return
    now = _now()
    login_at = session.get(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    absolute = current_app.config["SESSION_ABSOLUTE"].total_seconds()
    if now - login_at > absolute or now - seen_at > _idle_limit():
        logout_user()
        session.clear()
        flash("Du er logget ud, fordi du ikke har brugt portalen i et stykke tid.", "info")
        return
    if now - seen_at > TOUCH_EVERY or LOGIN_AT not in session:
        session[SEEN_AT] = now
        session.setdefault(LOGIN_AT, login_at)
