"""New contact persons: an editor creates the login and profile, and the person chooses a
password through a signed link that works once, for a week."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal import audit
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors, ValidationError
from portal.extensions import db
from portal.security import Role

MAX_AGE = timedelta(days=7)


def create_contact(
    data: Mapping[str, Any], actor: User | None, is_demo: bool = False
) -> ContactProfile:
    """A contact person's login (without a password) and profile.

    :raises FieldErrors: with a Danish message per field, or if the e-mail is taken.
    """
    cleaned = profiles.clean(data, profiles.EDITOR_FIELDS)
    if auth.get_by_email(cleaned["email"]) is not None:
        raise FieldErrors({"email": "Der findes allerede en bruger med den e-mail."})
    user = auth.create_user(
        cleaned["email"], cleaned["name"], Role.CONTACT.value, None, actor, is_demo=is_demo
    )
    profile = ContactProfile(
        user=user, administration=cleaned["administration"], email=user.email, is_demo=is_demo
    )
    for name in profiles.SELF_FIELDS:
        if name in cleaned:
            profiles.assign(profile, name, cleaned[name])
    db.session.add(profile)
    db.session.flush()
    audit.record(actor, "create", "contact", profile.id)
    return profile


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="contact-invite")


def _fingerprint(user: User) -> str:
    # Changes when the password is set, so a link works once.
    return hashlib.sha256((user.password_hash or "ny").encode()).hexdigest()[:16]


def invite_token(user: User, actor: User | None = None) -> str:
    """The signed link's token; it names the user and the editor who asked for it."""
    return _serializer().dumps(
        {"u": user.id, "f": _fingerprint(user), "a": getattr(actor, "id", None)}
    )


def invite(user: User, actor: User | None) -> str:
    """A new invitation link for a person who has not chosen a password yet, audited as
    asked for by ``actor``. Someone with a password resets it themself: an invitation would
    let whoever holds the link take over the account.

    :raises ValidationError: if the person already has a password.
    """
    if user.password_hash is not None:
        raise ValidationError(
            f"{user.name} har allerede en adgangskode, så der kan ikke laves en invitation. "
            "Invitationer er kun til personer, der endnu ikke har valgt en adgangskode."
        )
    audit.record(actor, "invite", "user", user.id)
    db.session.flush()
    return invite_token(user, actor)


def _read(token: str) -> tuple[User, User | None]:
    """The invited user and the editor who asked for the link (None: the system, or gone).

    :raises ValidationError: if the link is unknown, used or expired.
    """
    try:
        data = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired as exc:
        raise ValidationError("Linket er udløbet. Bed BIF-SOF specialenheden om et nyt.") from exc
    except BadSignature as exc:
        raise ValidationError("Linket er ikke gyldigt.") from exc
    user = db.session.get(User, data.get("u"))
    if (
        user is None
        or not user.active
        or user.password_hash is not None  # also a link made before invitations were refused
        or data.get("f") != _fingerprint(user)
    ):
        raise ValidationError("Linket er allerede brugt eller ikke længere gyldigt.")
    inviter = db.session.get(User, data["a"]) if isinstance(data.get("a"), int) else None
    return user, inviter


def user_for_invite(token: str) -> User:
    """:raises ValidationError: if the link is unknown, used or expired."""
    return _read(token)[0]


def accept_invite(token: str, password: str) -> User:
    """The password is set. The audit names the editor who asked for the link as the actor:
    the link proves only that its holder got it from them, not that it is the person it was
    made for.

    :raises ValidationError: if the link is not valid, or the password is too weak.
    """
    user, inviter = _read(token)
    auth.set_password(user, password, actor=inviter)
    return user
