"""The one-time links a person hands over to someone else: an invitation for a user who has no
password yet (7 days) and a password reset for one who has (1 hour). Never for a deactivated
account, and never a reset of one's own password (that needs the current one, on Min konto).
Administrators (a user's page) and editors (a new contact person) share this one mechanism.

A link is shown again, after a reload or a redirect, until it is used or expires; no token is
stored anywhere on the server:

- An invitation lives 7 days, longer than any session, so it is made again from its audit
  entry: the same user, actor and time (whole seconds) sign to the same link (``links.make``
  with ``at``). Everyone who may make an invitation for the user sees the latest one; they
  could make a new one anyway. Deriving it needs the secret key, so a copy of the database
  gives no one a link.
- A reset link lives an hour and ends the user's sessions when used, so it is kept only in the
  maker's own session (signed, for them only)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import session, url_for

from portal import audit
from portal.audit import AuditEntry
from portal.auth import links, mails
from portal.auth.models import User
from portal.db import utcnow
from portal.errors import PortalError
from portal.extensions import db

RESETS_KEY = "handover_resets"
RESETS_KEPT = 5  # the latest reset links a person made, at most


class Refused(PortalError):
    """A link the rules do not allow (said in Danish)."""

    status = 409


def _check_active(user: User) -> None:
    if not user.active:
        raise Refused(f"{user.name} er deaktiveret. Genaktivér brugeren først.")


def invitation(user: User, actor: User) -> str:
    """An invitation link, audited; the audit entry is what shows it again.

    :raises Refused: if the user is deactivated or already has a password (whoever holds an
        invitation chooses the password, so it must never reach an account in use).
    """
    _check_active(user)
    if user.password_hash is not None:
        raise Refused(
            f"{user.name} har allerede en adgangskode, så der kan ikke laves en invitation. "
            "Har personen glemt den, laver en administrator et link til ny adgangskode."
        )
    at = utcnow().replace(microsecond=0)
    entry = audit.record(actor, "invite", "user", user.id)
    entry.at = at  # the link's own time: the entry signs the same link again
    mails.invitation(user, actor, at)
    return links.make(user, links.INVITATION, actor, at=at)


def reset(user: User, actor: User) -> str:
    """A password reset link, audited and kept in the actor's session.

    :raises Refused: if the user is deactivated, has no password yet, or is the actor.
    """
    _check_active(user)
    if user.id == actor.id:
        raise Refused("Din egen adgangskode skifter du under Min konto.")
    if user.password_hash is None:
        raise Refused(f"{user.name} har ingen adgangskode endnu. Lav et invitationslink.")
    entry = audit.record(actor, "reset_link", "user", user.id)
    db.session.flush()
    mails.reset(user, actor, utcnow().replace(microsecond=0), key=f"reset:audit:{entry.id}")
    token = links.make(user, links.RESET, actor)
    kept = [e for e in session.get(RESETS_KEY, []) if e[0] != user.id]
    session[RESETS_KEY] = [*kept, [user.id, token]][-RESETS_KEPT:]
    return token


@dataclass(frozen=True)
class Handover:
    purpose: links.Purpose
    url: str

    @property
    def is_invitation(self) -> bool:
        return self.purpose == links.INVITATION


def _works(token: str, purpose: links.Purpose, user: User) -> bool:
    try:
        return links.user_for(token, purpose).id == user.id
    except links.InvalidLink:
        return False


def _latest_invitation(user: User) -> str | None:
    entry = db.session.scalar(
        sa.select(AuditEntry)
        .where(
            AuditEntry.object_type == "user",
            AuditEntry.object_id == str(user.id),
            AuditEntry.action == "invite",
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None:
        return None
    actor = db.session.get(User, entry.actor_id) if entry.actor_id is not None else None
    if actor is None and entry.actor != "system":
        return None  # made by someone since erased: that link cannot be made again
    return links.make(user, links.INVITATION, actor, at=entry.at)


def kept(user: User) -> Handover | None:
    """The link to show on ``user``'s page while it works (not used, not expired, the user
    not deactivated): a reset link the current person made, else the latest invitation."""
    candidates = [
        (links.RESET, token) for user_id, token in session.get(RESETS_KEY, []) if user_id == user.id
    ]
    invitation_token = _latest_invitation(user)
    if invitation_token is not None:
        candidates.append((links.INVITATION, invitation_token))
    for purpose, token in candidates:
        if _works(token, purpose, user):
            return Handover(purpose, url_for(purpose.endpoint, token=token, _external=True))
    return None
