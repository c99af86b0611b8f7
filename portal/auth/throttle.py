"""Login throttling that an attacker cannot turn into a lockout (OWASP's device cookies).

Failed logins are counted per account in the database (every worker process sees them; an
unknown account is counted the same way, so throttling reveals nothing). From the limit on,
each further failure makes the next attempt wait, twice as long each time, up to a cap. The
wait applies to clients the account has not logged in from before: a browser that has logged
in to the account carries a signed device cookie, and its attempts are counted against that
device instead, so strangers guessing passwords never keep the owner out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

import sqlalchemy as sa
from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.wrappers import Response

from portal.auth.models import LoginThrottle
from portal.db import utcnow
from portal.extensions import db

DEVICE_COOKIE = "portal_enhed"
DEVICE_MAX_AGE = timedelta(days=180)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


@dataclass(frozen=True)
class Device:
    """A browser that has logged in to an account before."""

    user_id: int
    id: str


def this_device() -> Device | None:
    """The device named by this request's (signed, unexpired) cookie, if any."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _signer().loads(raw, max_age=int(DEVICE_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, device = data.get("user"), data.get("device")
    if not isinstance(user_id, int) or not isinstance(device, str):
        return None
    return Device(user_id, device)


def remember_device(response: Response, user_id: int) -> Response:
    """After a successful login: this browser is one the account has used."""
    token = _signer().dumps({"user": user_id, "device": secrets.token_urlsafe(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=int(DEVICE_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def key_for(email: str, user_id: int | None, device: Device | None) -> str:
    """What failures are counted against: the device if the account has used it, else the
    account itself."""
    if device is not None and user_id is not None and device.user_id == user_id:
        return f"enhed:{device.id}"
    return email


def wait_left(key: str) -> timedelta | None:
    row = db.session.get(LoginThrottle, key)
    if row is None or row.locked_until is None:
        return None
    left = row.locked_until - utcnow()
    return left if left > timedelta(0) else None


def delay(failures: int) -> timedelta:
    """The wait after ``failures`` failed logins: none below the limit, then the base, doubled
    with each further failure, at most the cap."""
    config = current_app.config
    over = failures - config["LOGIN_MAX_FAILURES"]
    if over < 0:
        return timedelta(0)
    cap: timedelta = config["LOGIN_LOCKOUT"]
    return min(config["LOGIN_DELAY"] * 2 ** min(over, 20), cap)


def register_failure(key: str) -> None:
    """Count a failed login atomically (two worker processes cannot lose a count), then set
    the wait the count calls for."""
    now = utcnow()
    window_start = now - current_app.config["LOGIN_LOCKOUT"]
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(sa.Table, LoginThrottle.__table__)
    stmt = insert(table).values(email=key, failures=1, first_failure_at=now)
    expired = table.c.first_failure_at < window_start
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.email],
        set_={
            "failures": sa.case((expired, 1), else_=table.c.failures + 1),
            "first_failure_at": sa.case((expired, now), else_=table.c.first_failure_at),
        },
    )
    db.session.execute(stmt)
    failures = db.session.scalar(sa.select(LoginThrottle.failures).where(table.c.email == key))
    wait = delay(failures or 0)
    if wait:
        db.session.execute(
            sa.update(LoginThrottle)
            .where(LoginThrottle.email == key)
            .values(locked_until=now + wait)
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()


def reset(key: str) -> None:
    db.session.execute(sa.delete(LoginThrottle).where(LoginThrottle.email == key))


def describe(wait: timedelta) -> str:
    seconds = max(1, round(wait.total_seconds()))
    if seconds < 90:
        return f"{seconds} sekunder"
    return f"{round(seconds / 60)} minutter"
