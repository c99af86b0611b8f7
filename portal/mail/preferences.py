"""Which mail a user gets: the required kinds (invitations, password resets, registrations)
always; the optional kinds unless the user has turned them off on their mail settings."""

from __future__ import annotations

import sqlalchemy as sa

from portal import audit
from portal.extensions import db
from portal.mail.models import MailOptOut

# The optional kinds, as the settings page names them.
OPTIONAL: dict[str, str] = {
    "reminder": "Påmindelser om at bekræfte min profil som kontaktperson",
    "review_digest": "Ugentlig oversigt over sider, jeg ejer, som skal gennemgås",
    "news_digest": "Ugentlig oversigt over nyheder til videreformidling",
}


def wants(user, kind: str) -> bool:
    if kind not in OPTIONAL or getattr(user, "id", None) is None:
        return True
    return db.session.get(MailOptOut, (user.id, kind)) is None


def chosen(user) -> dict[str, bool]:
    """Each optional kind and whether ``user`` gets it."""
    off = set(db.session.scalars(sa.select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))
    return {kind: kind not in off for kind in OPTIONAL}


def choose(user, wanted: set[str]) -> None:
    """Turn the optional kinds in ``wanted`` on and the others off, audited."""
    for kind, was_on in chosen(user).items():
        now_on = kind in wanted
        if now_on == was_on:
            continue
        if now_on:
            db.session.delete(db.session.get(MailOptOut, (user.id, kind)))
        else:
            db.session.add(MailOptOut(user_id=user.id, kind=kind))
        audit.record(user, "mail_preference", "user", user.id, field=kind, old=was_on, new=now_on)
    db.session.flush()
