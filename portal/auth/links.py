"""Signed one-time links for a user: an invitation (choose a first password, 7 days) and a
password reset (1 hour). A link names the user and a fingerprint of the password hash, so it
stops working once a password has been set through it (or otherwise), and it never works for a
deactivated user. Nothing is stored: the signature and the timestamp are in the link."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import (
    BadSignature,
    SignatureExpired,
    TimestampSigner,
    URLSafeTimedSerializer,
)

from portal.auth.models import User
from portal.errors import ValidationError
from portal.extensions import db


@dataclass(frozen=True)
class Purpose:
    salt: str
    max_age: timedelta
    expired: str  # the Danish message for an expired link
    endpoint: str  # the page that opens the link
    # Also bound to the session token, so that the link dies for good when the user is
    # deactivated or logs out everywhere (a reactivation does not bring it back).
    bind_sessions: bool = False
    # Only for an account without a password: whoever holds an invitation chooses the
    # password, so an invitation must never let anyone take over an account in use.
    new_accounts_only: bool = False


# The invitation's salt is the one contact persons' invitations have always used, so links
# handed out before user administration existed keep working.
INVITATION = Purpose(
    "contact-invite",
    timedelta(days=7),
    "Linket er udløbet: en invitation virker i 7 dage. Bed den, der gav dig linket, om et nyt.",
    "contacts.accept_invite",
    new_accounts_only=True,
)
RESET = Purpose(
    "password-reset",
    timedelta(hours=1),
    "Linket er udløbet: et link til ny adgangskode virker kun i en time. Bed en administrator "
    "om et nyt.",
    "auth.reset_password",
    bind_sessions=True,
)


class InvalidLink(ValidationError):
    message = "Linket er ikke gyldigt."


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.salt)


def fingerprint(user: User, purpose: Purpose) -> str:
    # Changes when the password is set, so a link works once.
    bound = user.password_hash or "ny"
    if purpose.bind_sessions:
        bound += ":" + user.session_token
    return hashlib.sha256(bound.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Link:
    user: User  # whom the link is for
    actor: User | None  # who asked for it (None: the system, or since erased)


class _SignedAt(TimestampSigner):
    """Signs with a given time instead of now."""

    def __init__(self, *args, at: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at

    def get_timestamp(self) -> int:
        return self.at


def make(
    user: User, purpose: Purpose, actor: User | None = None, at: datetime | None = None
) -> str:
    """A link for ``user``; it also names ``actor``, who asked for it, for the audit. Made
    ``at`` a given time (whole seconds), it is the very link made then, for as long as that one
    works: the server can show a link again without storing it (see ``handover``)."""
    data = {"u": user.id, "f": fingerprint(user, purpose), "a": getattr(actor, "id", None)}
    if at is None:
        return _serializer(purpose).dumps(data)
    signed_at = URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=purpose.salt,
        signer=_SignedAt,
        signer_kwargs={"at": int(at.timestamp())},
    )
    return signed_at.dumps(data)


def user_for(token: str, purpose: Purpose) -> User:
    """The user a valid, unused link is for.

    :raises InvalidLink: with a Danish message if the link is unknown, used or expired, or
        its user is deactivated.
    """
    return read(token, purpose).user


def read(token: str, purpose: Purpose) -> Link:
    """The user a valid, unused link is for, and who asked for it.

    :raises InvalidLink: as ``user_for``.
    """
    try:
        data = _serializer(purpose).loads(token, max_age=int(purpose.max_age.total_seconds()))
    except SignatureExpired as exc:
        raise InvalidLink(purpose.expired) from exc
    except BadSignature as exc:
        raise InvalidLink() from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidLink()
    user = db.session.get(User, data["u"])
    if (
        user is None
        or not user.active
        or data.get("f") != fingerprint(user, purpose)
        or (purpose.new_accounts_only and user.password_hash is not None)
    ):
        raise InvalidLink("Linket er allerede brugt eller ikke længere gyldigt.")
    asked = data.get("a")
    return Link(user, db.session.get(User, asked) if isinstance(asked, int) else None)
