"""A person's rights over their data: everything the portal holds about them, for them to
download, and erasure that keeps the audit trail, pseudonymised."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from portal import audit, signals
from portal.audit import AuditEntry
from portal.auth.models import User
from portal.contacts import profiles
from portal.contacts.models import ContactProfile, Team
from portal.errors import one_save_wins
from portal.extensions import db

ERASED = "[slettet]"


def _entries_about(user: User, profile: ContactProfile | None) -> sa.Select[AuditEntry]:
    """The audit entries the person made, and those about their login or their profile."""
    return sa.select(AuditEntry).where(
        sa.or_(
            AuditEntry.actor_id == user.id,
            sa.and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id)),
            sa.and_(
                AuditEntry.object_type == "contact",
                AuditEntry.object_id == str(profile.id if profile else -1),
            ),
        )
    )


def _profile_data(profile: ContactProfile) -> dict[str, Any]:
    return {
        **{profiles.LABELS[f]: profiles.exported_value(profile, f) for f in profiles.SELF_FIELDS},
        "Forvaltning": profile.administration,
        "Foto": bool(profile.photo),
        "Bekræftet": profile.confirmed_at.isoformat(),
        "Opdateret": profile.updated_at.isoformat(),
    }


def _from_other_features(user: User) -> dict[str, Any]:
    """What other features hold about the person (the calendar: registrations, meetings
    organised), through ``signals.personal_data``."""
    found: dict[str, Any] = {}
    for part in signals.collect(signals.personal_data, user_id=user.id):
        found.update(part)
    return found


def export(user: User) -> dict[str, Any]:
    """Everything the portal holds about a person, for them to download."""
    profile = profiles.profile_of(user)
    entries = db.session.scalars(_entries_about(user, profile).order_by(AuditEntry.at))
    return {
        "bruger": {
            "navn": user.name,
            "email": user.email,
            "rolle": user.role,
            "aktiv": user.active,
            "oprettet": user.created_at.isoformat(),
            "sidste_login": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "profil": None if profile is None else _profile_data(profile),
        "foreslåede_teams": [
            {
                "team": team.name,
                "center": team.centre.name,
                "foreslået": team.proposed_at.isoformat() if team.proposed_at else None,
                "godkendt": team.approved,
            }
            for team in db.session.scalars(
                sa.select(Team).where(Team.proposed_by_id == user.id).order_by(Team.id)
            )
        ],
        "historik": [
            {
                "tid": e.at.isoformat(),
                "handling": e.action,
                "felt": e.field,
                "før": e.old_value,
                "efter": e.new_value,
            }
            for e in entries
        ],
        **_from_other_features(user),
    }


def erase(profile: ContactProfile, actor: User) -> None:
    """Remove a person: profile, photo, areas, login and sessions (the user row goes), and
    the search document (through the outbox). Audit entries stay, pseudonymised."""
    user = profile.user
    alias = f"slettet-{hashlib.sha256(user.email.encode()).hexdigest()[:8]}"
    for entry in db.session.scalars(_entries_about(user, profile)):
        if entry.actor_id == user.id:
            entry.actor = alias
        if entry.object_type in ("contact", "user"):
            if entry.old_value is not None:
                entry.old_value = ERASED
            if entry.new_value is not None:
                entry.new_value = ERASED
    with one_save_wins("Profilen"):  # not while someone saves it: they would lose their edit
        db.session.delete(profile)
        db.session.delete(user)
        audit.record(actor, "erase", "contact", profile.id, None, None, alias)
