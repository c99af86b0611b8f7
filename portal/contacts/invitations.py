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


def invite_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_invite(token: str) -> User:
    """:raises ValidationError: if the link is unknown, used or expired."""
    try:
        data = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired as exc:
        raise ValidationError("Linket er udløbet. Bed BIF-SOF specialenheden om et nyt.") from exc
    except BadSignature as exc:
        raise ValidationError("Linket er ikke gyldigt.") from exc
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        raise ValidationError("Linket er allerede brugt eller ikke længere gyldigt.")
    return user


def accept_invite(token: str, password: str) -> User:
    """:raises ValidationError: if the link is not valid, or the password is too weak."""
    user = user_for_invite(token)
    auth.set_password(user, password, actor=user)
    return user
