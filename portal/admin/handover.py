"""The one-time links an administrator hands over: an invitation for a user who has no
password yet (7 days) and a password reset for one who has (1 hour). Never for a deactivated
account, and never a reset of one's own password (that needs the current one, on Min konto)."""

from __future__ import annotations

from portal import audit
from portal.admin.users import Refused
from portal.auth import links
from portal.auth.models import User

KINDS = {"invitation": links.INVITATION, "nulstil": links.RESET}


def _check_active(user: User) -> None:
    if not user.active:
        raise Refused(f"{user.name} er deaktiveret. Genaktivér brugeren først.")


def invitation(user: User, actor: User) -> str:
    """:raises Refused: if the user is deactivated or already has a password."""
    _check_active(user)
    if user.password_hash is not None:
        raise Refused(f"{user.name} har allerede en adgangskode. Lav et link til ny adgangskode.")
    audit.record(actor, "invite", "user", user.id)
    return links.make(user, links.INVITATION, actor)


def reset(user: User, actor: User) -> str:
    """:raises Refused: if the user is deactivated, has no password yet, or is the actor."""
    _check_active(user)
    if user.id == actor.id:
        raise Refused("Din egen adgangskode skifter du under Min konto.")
    if user.password_hash is None:
        raise Refused(f"{user.name} har ingen adgangskode endnu. Lav et invitationslink.")
    audit.record(actor, "reset_link", "user", user.id)
    return links.make(user, links.RESET, actor)


def still_valid(user: User, kind: str, token: str) -> bool:
    """Whether a link handed out earlier can still be used (not used, not expired)."""
    purpose = KINDS.get(kind)
    if purpose is None:
        return False
    try:
        return links.user_for(token, purpose).id == user.id
    except links.InvalidLink:
        return False
