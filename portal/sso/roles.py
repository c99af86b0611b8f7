"""Roles from the identity provider's groups: ``PORTAL_SSO_GROUP_ROLES`` maps group ids (or
role names) to portal roles, ``*`` naming the role of anyone the provider lets in. Re-applied
at every login, so a change in the municipality's directory reaches the portal at the next
login."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from portal.config import ConfigError
from portal.security import Role

# The more a role may do, the later it comes: a person in two groups gets the larger role.
ORDER = [Role.STAFF, Role.CONTACT, Role.EDITOR, Role.ADMIN]


def parse(text: str) -> dict[str, Role]:
    """``"gruppe-a=editor; gruppe-b=admin; *=staff"`` -> {group: role}."""
    mapping: dict[str, Role] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        group, sep, role = part.rpartition("=")
        if not sep or not group.strip():
            raise ConfigError(f"PORTAL_SSO_GROUP_ROLES: {part.strip()!r} skal være gruppe=rolle.")
        try:
            mapping[group.strip()] = Role(role.strip())
        except ValueError as exc:
            raise ConfigError(
                f"PORTAL_SSO_GROUP_ROLES: {role.strip()!r} er ikke en rolle "
                "(staff, contact, editor eller admin)."
            ) from exc
    return mapping


def role_for(groups: Iterable[str], mapping: Mapping[str, Role]) -> Role | None:
    """The largest role any of ``groups`` gives (``*`` counts for everyone), or None."""
    found = [mapping[g] for g in {*groups, "*"} if g in mapping]
    return max(found, key=ORDER.index) if found else None
