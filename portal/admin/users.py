"""Users for administrators: the list with its filters, creating a user without a password,
changing a role (never leaving the portal without an active administrator), deactivating and
reactivating. Functions flush and audit; the request commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal import audit
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors, NotFound, PortalError, ValidationError
from portal.extensions import db
from portal.security import ROLE_LABELS, Role
from portal.text import danish_sort_key

STATUSES = {"aktiv": "Aktive", "deaktiveret": "Deaktiverede"}


class Refused(PortalError):
    """An administrator's change the rules do not allow (said in Danish)."""

    status = 409


class NeedsConfirmation(PortalError):
    """Demoting yourself: the form must come back with an explicit confirmation."""

    status = 409
    message = "Bekræft, at du vil fjerne din egen administratorrolle."


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    role: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> UserFilters:
        role = args.get("rolle", "")
        status = args.get("status", "")
        return cls(
            q=args.get("q", "").strip()[:100],
            role=role if role in {r.value for r in Role} else "",
            status=status if status in STATUSES else "",
        )

    def as_args(self) -> dict[str, str]:
        pairs = {"q": self.q, "rolle": self.role, "status": self.status}
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    role_label: str
    active: bool
    last_login_at: datetime | None
    has_profile: bool


def list_users(filters: UserFilters) -> list[UserRow]:
    """The users the filters pick, in Danish alphabetical order of name."""
    query = sa.select(User)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.status:
        query = query.where(User.active.is_(filters.status == "aktiv"))
    users = db.session.scalars(query).all()
    if filters.q:  # in Python: SQLite's lower() knows no Æ, Ø or Å
        needle = filters.q.casefold()
        users = [u for u in users if needle in u.name.casefold() or needle in u.email]
    with_profile = set(db.session.scalars(sa.select(ContactProfile.user_id)))
    rows = [
        UserRow(
            u.id, u.name, u.email, u.role_label, u.active, u.last_login_at, u.id in with_profile
        )
        for u in users
    ]
    return sorted(rows, key=lambda r: (danish_sort_key(r.name), r.email))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    return user


def has_profile(user: User) -> bool:
    found = db.session.scalar(sa.select(ContactProfile.id).where(ContactProfile.user_id == user.id))
    return found is not None


def create_user(name: str, email: str, role: str, actor: User) -> User:
    """A user without a password: they choose one through an invitation link.

    :raises FieldErrors: with Danish messages (a taken or invalid e-mail, an unknown role).
    """
    if auth.get_by_email(email or "") is not None:
        raise FieldErrors({"email": "Der findes allerede en bruger med den e-mail."})
    if role not in ROLE_LABELS:
        raise FieldErrors({"role": "Vælg en rolle."})
    try:
        return auth.create_user(email or "", name or "", role, None, actor)
    except ValidationError as error:
        field = "email" if "E-mail" in error.message else "name"
        raise FieldErrors({field: error.message}) from error


def _active_admin_ids() -> list[int]:
    """The active administrators, locked (PostgreSQL) so that two administrators demoting
    each other at the same moment cannot both pass the last-admin check."""
    query = sa.select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
    return list(db.session.scalars(query.with_for_update()))


def _keeps_an_admin(user: User) -> None:
    if user.role == Role.ADMIN.value and user.active and _active_admin_ids() == [user.id]:
        raise Refused(
            f"{user.name} er den sidste aktive administrator. Gør en anden til administrator "
            "først, så portalen altid har en."
        )


def change_role(user: User, role: str, actor: User, confirmed: bool = False) -> bool:
    """Give ``user`` the role; False if it was already theirs.

    :raises Refused: if that would leave no active administrator.
    :raises NeedsConfirmation: if the actor demotes themselves without ``confirmed``.
    :raises FieldErrors: for an unknown role.
    """
    if role not in ROLE_LABELS:
        raise FieldErrors({"role": "Vælg en rolle."})
    if role == user.role:
        return False
    if role != Role.ADMIN.value:
        _keeps_an_admin(user)
        if user.id == actor.id and user.role == Role.ADMIN.value and not confirmed:
            raise NeedsConfirmation()
    old = user.role
    user.role = role
    db.session.flush()
    audit.record(actor, "change_role", "user", user.id, "role", old, role)
    return True


def deactivate(user: User, actor: User) -> None:
    """Deactivate and end every session of the user at once.

    :raises Refused: for one's own account or the last active administrator.
    """
    if user.id == actor.id:
        raise Refused("Du kan ikke deaktivere dig selv. Bed en anden administrator om det.")
    _keeps_an_admin(user)
    auth.deactivate_user(user, actor)


def reactivate(user: User, actor: User) -> None:
    auth.reactivate_user(user, actor)
