"""A login through the municipality's identity provider: who it is, which role, which account.

The account is found by the provider's subject (``UserIdentity``); at a first login by the
e-mail the provider vouches for (a contact person's existing profile is linked this way, never
by name); otherwise a staff account is made just in time. The role comes from the groups at
every login. Every refusal is audited and ends with a Danish message; no session is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from portal import audit
from portal.auth import services as auth
from portal.auth.models import User
from portal.db import utcnow
from portal.errors import PortalError
from portal.extensions import db
from portal.security import Role
from portal.sso import roles
from portal.sso.models import UserIdentity
from portal.transaction import transaction


class Refused(PortalError):
    """A login the portal refuses: ``message`` for the person, ``reason`` for the audit."""

    status = 403
    message = "Du kan ikke logge ind på portalen med din konto."

    def __init__(self, message: str, reason: str, who: str | None = None) -> None:
        super().__init__(message)
        self.reason, self.who = reason, who or "-"


@dataclass(frozen=True)
class Identity:
    protocol: str  # oidc | saml
    issuer: str
    subject: str
    email: str | None
    name: str | None
    groups: tuple[str, ...]
    email_verified: bool = True  # False only when the provider says so


def refuse(reason: str, message: str, who: str | None = None) -> Refused:
    return Refused(message, reason, who)


def record_refusal(error: Refused) -> None:
    """Audit a refusal in its own transaction: the request's, refused, is rolled back."""
    db.session.rollback()
    with transaction():
        audit.record(
            None, "sso_refused", "sso", error.who[:60], field="reason", new=error.reason[:500]
        )


def _role(identity: Identity, user: User | None) -> Role:
    mapping = roles.parse(current_app.config.get("SSO_GROUP_ROLES", ""))
    role = roles.role_for(identity.groups, mapping)
    if role is None:
        raise refuse(
            f"no role for groups {sorted(identity.groups)}",
            "Din konto hos kommunen giver ikke adgang til portalen: du er ikke med i en af de "
            "grupper, der giver adgang.",
            identity.email,
        )
    if role == Role.STAFF and user is not None and user.role == Role.CONTACT.value:
        return Role.CONTACT  # the directory made them a contact person; staff adds nothing
    return role


def _find(identity: Identity) -> tuple[User | None, UserIdentity | None]:
    known = db.session.scalar(
        sa.select(UserIdentity).where(
            UserIdentity.protocol == identity.protocol,
            UserIdentity.issuer == identity.issuer,
            UserIdentity.subject == identity.subject,
        )
    )
    if known is not None:
        return db.session.get(User, known.user_id), known
    if not identity.email_verified:
        raise refuse(
            "e-mail not verified",
            "Kommunens login har ikke bekræftet din e-mailadresse, så portalen kan ikke finde "
            "din konto.",
            identity.email,
        )
    return auth.get_by_email(identity.email or ""), None


def sign_in(identity: Identity) -> User:
    """The user this identity logs in as, with the role its groups give.

    :raises Refused: (audited) without an e-mail, without a role, or for a deactivated user.
    """
    if not identity.email or "@" not in identity.email:
        raise refuse(
            "no e-mail claim",
            "Kommunens login sendte ikke din e-mailadresse, og det er den, portalen kender dig på.",
            identity.subject,
        )
    user, known = _find(identity)
    role = _role(identity, user)
    if user is not None and not user.active:
        raise refuse("deactivated", "Din adgang til portalen er lukket.", identity.email)
    if user is None:
        user = auth.create_user(
            identity.email, identity.name or identity.email, role.value, None, None
        )
        audit.record(None, "sso_created", "user", user.id, field="role", new=role.value)
    elif user.role != role.value:
        audit.record(None, "role", "user", user.id, field="role", old=user.role, new=role.value)
        user.role = role.value
    if known is None:
        known = UserIdentity(
            user_id=user.id,
            protocol=identity.protocol,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        db.session.add(known)
        audit.record(None, "sso_linked", "user", user.id, field="issuer", new=identity.issuer)
    known.last_login_at = user.last_login_at = utcnow()
    audit.record(user, "login", "user", user.id, field="sso", new=identity.protocol)
    db.session.flush()
    return user


def groups_from(value: object) -> tuple[str, ...]:
    """A groups claim as the provider sends it: a list, or one string."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return ()
