"""Personal calendar feeds: a secret address per person, so that Outlook can subscribe to the
meetings (all of them, or the person's own) when the portal needs a login to read.

The token is an HMAC of a random nonce under the app's secret key, so the page can show the
address again at any time, while the database holds only the nonce and the token's SHA-256: a
copy of the database alone opens no feed. "Lav nyt link" draws a new nonce: the old address
stops working at once. A deactivated or erased person's address opens nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import current_app

from portal import audit
from portal.auth.models import User
from portal.calendar import ics, occurrences
from portal.calendar.models import REGISTERED, Event, FeedToken, Registration
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.extensions import db

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, URL-safe base64 without padding
AUDIT_TYPE = "calendar_feed"


def _token(user_id: int, nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"calendar-feed:{user_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def token_of(user: User) -> str | None:
    """The user's current token, or None if they have none (or the app's key has changed
    since it was made: then they make a new one)."""
    row = db.session.get(FeedToken, user.id)
    if row is None:
        return None
    token = _token(user.id, row.nonce)
    return token if hmac.compare_digest(_hash(token), row.token_hash) else None


def renew(user: User) -> str:
    """Make the user's token, or a new one in place of the old (which then stops working)."""
    row = db.session.get(FeedToken, user.id)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
        audit.record(user, "revoke", AUDIT_TYPE, user.id)
    nonce = secrets.token_urlsafe(32)
    token = _token(user.id, nonce)
    db.session.add(FeedToken(user_id=user.id, nonce=nonce, token_hash=_hash(token)))
    db.session.flush()
    audit.record(user, "create", AUDIT_TYPE, user.id)
    return token


def owner(token: str) -> User | None:
    """The active user whose token this is; None for a revoked, unknown or malformed one."""
    if not TOKEN_RE.fullmatch(token):
        return None
    return db.session.scalar(
        sa.select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(FeedToken.token_hash == _hash(token), User.active.is_(True))
    )


def registered_occurrences(user: User) -> list[Occurrence]:
    """The dates the user has a seat at, from the recent past on (as the feed keeps them)."""
    since = utcnow() - ics.FEED_HISTORY
    rows = db.session.execute(
        sa.select(Registration.occurrence, Event)
        .join(Event, Registration.event_id == Event.id)
        .where(Registration.user_id == user.id, Registration.status == REGISTERED)
    ).all()
    found = []
    for key, event in rows:
        occurrence = occurrences.of_key(event, key)
        if occurrence is not None and occurrence.ends_at > since:
            found.append(occurrence)
    return sorted(found, key=lambda o: (o.starts_at, o.event.id))
