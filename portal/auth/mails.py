"""The mail an account gets: its invitation, and a password reset link, also when the person
asks for one themself (``/glemt-adgangskode``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from portal import audit, mail
from portal.auth import links, services
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.routing import absolute_url
from portal.security import Role

# At most one reset mail per account in this window, however often the form is sent.
FORGOT_WINDOW_MINUTES = 10
PURPOSES = {"invitation": links.INVITATION, "reset": links.RESET}


def _spec(purpose: str, user: User, actor: User | None, at: datetime) -> dict[str, Any]:
    return {
        "maker": purpose,
        "user": user.id,
        "actor": getattr(actor, "id", None),
        "at": int(at.timestamp()),
        # The account as it was: a link signed later must not outlive a password set since.
        "fingerprint": links.fingerprint(user, PURPOSES[purpose]),
    }


def make_link(spec: Mapping[str, Any]) -> str:
    """The link a queued mail names, signed now as it was made then (``links.make`` with
    ``at``: the same link the audit entry shows again).

    :raises InvalidLink: if it has been used or has expired, or its user is deactivated.
    """
    purpose = PURPOSES[spec["maker"]]
    user = db.session.get(User, spec["user"])
    if user is None:
        raise links.InvalidLink()
    if links.fingerprint(user, purpose) != spec["fingerprint"]:
        raise links.InvalidLink("Linket er allerede brugt eller ikke længere gyldigt.")
    actor = db.session.get(User, spec["actor"]) if spec.get("actor") is not None else None
    token = links.make(user, purpose, actor, at=datetime.fromtimestamp(spec["at"], UTC))
    links.read(token, purpose)  # still works
    return absolute_url(purpose.endpoint, token=token)


def invitation(user: User, actor: User | None, at: datetime) -> None:
    mail.queue(
        key=f"invitation:{user.id}:{at.isoformat()}",
        kind="invitation",
        to=user.email,
        name=user.name,
        user=user,
        template="invitation",
        subject="Din konto på BIF-SOF Portalen",
        context={"email": user.email, "actor_name": getattr(actor, "name", None)},
        link=_spec("invitation", user, actor, at),
    )


def reset(user: User, actor: User | None, at: datetime, key: str) -> None:
    mail.queue(
        key=key,
        kind="reset",
        to=user.email,
        name=user.name,
        user=user,
        template="password_reset",
        subject="Ny adgangskode til BIF-SOF Portalen",
        link=_spec("reset", user, actor, at),
    )


def forgotten(email: str) -> None:
    """Someone says they forgot the password of ``email``. An active account gets a reset link
    by mail (an account without a password yet: a new invitation); the answer is the same
    whether the account exists or not, so the form tells no one who has an account."""
    user = services.get_by_email(email)
    if user is None or not user.active or not services.local_login_allowed(email):
        return
    now = utcnow().replace(microsecond=0)
    if user.password_hash is None:
        audit.record(None, "invite", "user", user.id).at = now  # shown again from here
        invitation(user, None, now)
        return
    window = int(now.timestamp()) // (FORGOT_WINDOW_MINUTES * 60)
    audit.record(None, "reset_link", "user", user.id, field="forgotten")
    reset(user, None, now, key=f"reset:{user.id}:forgotten:{window}")


def editor_recipients() -> list[tuple[str, str, User | None]]:
    """Where mail for the special unit goes: its shared address (``PORTAL_MAIL_EDITORS``), or
    else each active editor. (address, name, user)"""
    shared = current_app.config.get("MAIL_EDITORS")
    if shared:
        return [(shared, "Specialenheden", None)]
    editors = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.role == Role.EDITOR.value)
    )
    return [(user.email, user.name, user) for user in editors]
