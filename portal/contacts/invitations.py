"""New contact persons: an editor creates the login and profile, and the person chooses a
password through a signed link that works once, for a week."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal import audit
from portal.auth import links
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors
from portal.extensions import db
from portal.security import Role

MAX_AGE = links.INVITATION.max_age


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


def invite_token(user: User) -> str:
    return links.make(user, links.INVITATION)


def user_for_invite(token: str) -> User:
    """:raises ValidationError: if the link is unknown, used or expired."""
    return links.user_for(token, links.INVITATION)


def accept_invite(token: str, password: str) -> User:
    """:raises ValidationError: if the link is not valid, or the password is too weak."""
    user = user_for_invite(token)
    auth.set_password(user, password, actor=user)
    return user
