"""A contact person's login as the special unit manages it: deactivate, reactivate and erase,
and the list of deactivated people.

Only a login without editor rights is managed here. An editor's or an administrator's login
is administered under Brugere, whose rules (never yourself, never the last administrator)
must not be sidestepped through the directory, and an editor must not be able to lock out or
bring back someone with more rights than a contact person."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal import audit
from portal.audit import AuditEntry
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts import privacy, profiles
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors, PortalError
from portal.extensions import db
from portal.security import IMPLIED_ROLES, Role
from portal.text import danish_sort_key


class NotHere(PortalError):
    """The login is administered under Brugere, not through the directory."""

    status = 409


def managed_here(user: User) -> bool:
    return Role.EDITOR not in IMPLIED_ROLES[Role(user.role)]


def check_managed(user: User) -> None:
    """:raises NotHere: for a login with editor rights."""
    if not managed_here(user):
        raise NotHere(
            f"{user.name} er {user.role_label.lower()}. Et login med redaktørrettigheder "
            "administreres under Brugere (Administration) og ikke fra kontaktpersonlisten."
        )


def deactivate(profile: ContactProfile, actor: User) -> None:
    """Hidden from the directory and search, every session ended at once; the data stays.

    :raises NotHere: for a login with editor rights.
    """
    check_managed(profile.user)
    profiles.deactivate(profile, actor)


def reactivate(profile: ContactProfile, actor: User) -> None:
    """Back in the directory and search (the user's ``active`` change reaches the search
    outbox); the person logs in with the password they had.

    :raises NotHere: for a login with editor rights.
    """
    check_managed(profile.user)
    if profile.user.active:
        return
    auth.reactivate_user(profile.user, actor)
    audit.record(actor, "reactivate", "contact", profile.id)
    db.session.flush()


def same_name(typed: str, name: str) -> bool:
    """Whether ``typed`` is ``name``, ignoring case, Unicode form and runs of whitespace."""

    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return bool(typed.strip()) and norm(typed) == norm(name)


def erase(profile: ContactProfile, actor: User, typed_name: str) -> None:
    """``privacy.erase`` once the actor has typed the person's full name.

    :raises FieldErrors: under ``name`` if the typed name is not the person's; nothing changes.
    :raises NotHere: for a login with editor rights (the actor's own included).
    :raises Conflict: if someone saves the profile meanwhile.
    """
    check_managed(profile.user)
    if not same_name(typed_name or "", profile.name):
        raise FieldErrors(
            {"name": f"Navnet passer ikke. Skriv personens fulde navn: {profile.name}."},
            "Intet er slettet.",
        )
    privacy.erase(profile, actor)


@dataclass(frozen=True)
class Deactivated:
    id: int
    user_id: int
    name: str
    administration: str
    centre: str
    at: datetime | None  # when the login was last deactivated (None: not in the audit trail)
    by: str  # who did it (an e-mail, "system", or a pseudonym)
    managed_here: bool


def deactivated() -> list[Deactivated]:
    """The contact persons whose login is deactivated, in Danish alphabetical order."""
    people = db.session.scalars(
        sa.select(ContactProfile).join(User).where(User.active.is_(False))
    ).all()
    latest: dict[str, AuditEntry] = {}
    if people:
        entries = db.session.scalars(
            sa.select(AuditEntry)
            .where(
                AuditEntry.object_type == "user",
                AuditEntry.action == "deactivate",
                AuditEntry.object_id.in_([str(p.user_id) for p in people]),
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        latest = {e.object_id: e for e in entries}
    rows = []
    for p in people:
        entry = latest.get(str(p.user_id))
        rows.append(
            Deactivated(
                id=p.id,
                user_id=p.user_id,
                name=p.name,
                administration=p.administration,
                centre=p.centre_name,
                at=entry.at if entry else None,
                by=entry.actor if entry else "",
                managed_here=managed_here(p.user),
            )
        )
    return sorted(rows, key=lambda r: danish_sort_key(r.name))
