"""New contact persons: an editor creates the login and profile, and the person chooses a
password through a signed link that works once, for a week."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal import audit
from portal.auth import handover, links
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts import lifecycle, lists, profiles
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
    lists.settle(profile, cleaned, actor)  # an editor's new team is on the list, audited
    for name in profiles.SELF_FIELDS:
        if name in cleaned:
            profiles.assign(profile, name, cleaned[name])
    db.session.add(profile)
    db.session.flush()
    audit.record(actor, "create", "contact", profile.id)
    return profile


def invite_token(user: User, actor: User | None = None) -> str:
    """The signed link's token; it names the user and the editor who asked for it."""
    return links.make(user, links.INVITATION, actor)


def invite(user: User, actor: User) -> str:
    """A new invitation link for a person who has not chosen a password yet, audited as
    asked for by ``actor`` and shown again until used or expired (``auth.handover``, the
    administrators' mechanism). Someone with a password resets it themself: an invitation would let
    whoever holds the link take over the account.

    :raises NotHere: for a login with editor rights (an administrator invites those, under
        Brugere): an editor must not choose the first password of such a login.
    :raises Refused: if the person is deactivated or already has a password.
    """
    lifecycle.check_managed(user)
    return handover.invitation(user, actor)


def user_for_invite(token: str) -> User:
    """:raises ValidationError: if the link is unknown, used or expired."""
    return links.user_for(token, links.INVITATION)


def accept_invite(token: str, password: str) -> User:
    """The password is set. The audit names the editor who asked for the link as the actor:
    the link proves only that its holder got it from them, not that it is the person it was
    made for.

    :raises ValidationError: if the link is not valid, or the password is too weak.
    """
    link = links.read(token, links.INVITATION)
    auth.set_password(link.user, password, actor=link.actor)
    return link.user
