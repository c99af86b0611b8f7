"""The mail an account gets: its invitation, and a password reset link, also when the person
asks for one themself (``/glemt-adgangskode``)."""

from __future__ import annotations

from datetime import datetime

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


def invitation(user: User, token: str, actor: User | None, at: datetime) -> None:
    mail.queue(
        key=f"invitation:{user.id}:{at.isoformat()}",
        kind="invitation",
        to=user.email,
        name=user.name,
        user=user,
        template="invitation",
        subject="Din konto på BIF-SOF Portalen",
        context={
            "link": absolute_url(links.INVITATION.endpoint, token=token),
            "email": user.email,
            "actor_name": getattr(actor, "name", None),
        },
    )


def reset(user: User, token: str, key: str) -> None:
    mail.queue(
        key=key,
        kind="reset",
        to=user.email,
        name=user.name,
        user=user,
        template="password_reset",
        subject="Ny adgangskode til BIF-SOF Portalen",
        context={"link": absolute_url(links.RESET.endpoint, token=token)},
    )


def forgotten(email: str) -> None:
    """Someone says they forgot the password of ``email``. An active account gets a reset link
    by mail (an account without a password yet: a new invitation); the answer is the same
    whether the account exists or not, so the form tells no one who has an account."""
    user = services.get_by_email(email)
    if user is None or not user.active:
        return
    now = utcnow().replace(microsecond=0)
    window = int(now.timestamp()) // (FORGOT_WINDOW_MINUTES * 60)
    if user.password_hash is None:
        token = links.make(user, links.INVITATION, None, at=now)
        audit.record(None, "invite", "user", user.id).at = now
        invitation(user, token, None, now)
        return
    audit.record(None, "reset_link", "user", user.id, field="forgotten")
    reset(user, links.make(user, links.RESET), key=f"reset:{user.id}:forgotten:{window}")


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
