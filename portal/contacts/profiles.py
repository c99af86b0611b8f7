"""A contact person's profile: its fields and their rules, loading, editing, confirming,
deactivating, staleness and history. Functions flush; the request boundary commits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from portal import audit
from portal.administration import FILTERS
from portal.audit import AuditEntry
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts import lists, photos
from portal.contacts.models import Centre, ContactArea, ContactProfile, Team
from portal.contacts.phones import clean_phone
from portal.cpr import contains_cpr
from portal.db import utcnow
from portal.errors import FieldErrors, NotFound, check_version, one_save_wins
from portal.extensions import db
from portal.text import slugify

# What a contact person may change about themselves; editors may also change these.
SELF_FIELDS = ("email", "phone", "job_title", "centre", "team", "workplace", "areas", "about")
EDITOR_FIELDS = ("name", "administration", *SELF_FIELDS)
LIMITS = {
    "job_title": 120,
    "workplace": 200,
    "about": 1000,
    "name": 200,
}
LABELS = {
    "name": "Navn",
    "email": "E-mail",
    "phone": "Telefon",
    "job_title": "Stilling",
    "centre": "Center/enhed",
    "team": "Team",
    "workplace": "Arbejdssted",
    "areas": "Kan hjælpe med",
    "about": "Kort om mig",
    "administration": "Forvaltning",
    "photo": "Foto",
}
MAX_AREAS = 15
MAX_AREA_LENGTH = 80


# The fields and their rules


NO_CPR = "Må ikke indeholde noget, der ligner et CPR-nummer."


def _clean_areas(value: object) -> tuple[list[str], str | None]:
    items = value if isinstance(value, list) else str(value or "").split(",")
    areas = list(dict.fromkeys(a.strip() for a in items if a.strip()))
    # Each area, and the list as it is shown ("010190, 1234" reads as one number too).
    if any(contains_cpr(a) for a in [*areas, " ".join(areas)]):
        return areas, NO_CPR
    if any(len(a) > MAX_AREA_LENGTH for a in areas) or len(areas) > MAX_AREAS:
        return areas, "Højst 15 områder på højst 80 tegn hver, adskilt af komma."
    return lists.normalise_areas(areas), None


def _clean_text(name: str, value: str) -> tuple[str, str | None]:
    """One text field, normalised, and the Danish message if it is not acceptable."""
    if name in LIMITS and len(value) > LIMITS[name]:
        return value, f"Må højst være {LIMITS[name]} tegn (du skrev {len(value)})."
    if contains_cpr(value):
        return value, NO_CPR
    if name == "email":
        try:
            return validate_email(value, check_deliverability=False).normalized, None
        except EmailNotValidError:
            return value, "Skriv en gyldig e-mailadresse, fx navn@kk.dk."
    if name == "phone":
        return clean_phone(value)
    if name == "administration" and value not in FILTERS:
        return value, "Vælg BIF eller SOF."
    if name == "name" and not value:
        return value, "Skriv navnet."
    return value, None


def clean(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Validate and normalise the given fields that ``data`` has.

    :raises FieldErrors: with a Danish message per field.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in fields:
        if name not in data or name in ("centre", "team"):  # chosen from the lists, below
            continue
        raw = data[name]
        value: str | list[str]
        if name == "areas":
            value, error = _clean_areas(raw)
        else:
            text = str(raw or "")
            text = text.strip() if name == "about" else " ".join(text.split())
            value, error = _clean_text(name, text)
        if error:
            errors[name] = error
        cleaned[name] = value
    placement, placement_errors = lists.clean_placement(data, fields)
    cleaned.update(placement)
    errors.update(placement_errors)
    if errors:
        raise FieldErrors(errors)
    return cleaned


def exported_value(profile: ContactProfile, name: str) -> Any:
    """A field's value in the person's own data export: names, not list entries."""
    value = current_value(profile, name)
    return str(value) if isinstance(value, Centre | Team) else value


def current_value(profile: ContactProfile, name: str) -> Any:
    if name == "areas":
        return profile.area_names
    if name == "name":
        return profile.user.name
    return getattr(profile, name)


def same_value(old: Any, new: Any) -> bool:
    """Whether a cleaned value is what is stored. Areas are a set (stored and shown in name
    order); a text's line breaks may come back from a browser as CRLF."""
    if isinstance(old, list) and isinstance(new, list):
        return sorted(old) == sorted(new)
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n") == new.replace("\r\n", "\n")
    return bool(old == new)


def assign(profile: ContactProfile, name: str, value: Any) -> None:
    if name == "areas":
        profile.areas = [ContactArea(name=a, slug=slugify(a)) for a in value]
    elif name == "name":
        profile.user.name = value
    else:
        setattr(profile, name, value)


# Loading


def get_profile(profile_id: int, include_inactive: bool = False) -> ContactProfile:
    """:raises NotFound: if there is no such (active) contact person."""
    profile = db.session.get(ContactProfile, profile_id)
    if profile is None or (not profile.active and not include_inactive):
        raise NotFound("Kontaktpersonen findes ikke eller er ikke længere aktiv.")
    return profile


def profile_of(user: User) -> ContactProfile | None:
    return db.session.scalar(sa.select(ContactProfile).where(ContactProfile.user_id == user.id))


# Changing


def _shown(value: Any) -> Any:
    return ", ".join(value) if isinstance(value, list) else value


def update_profile(
    profile: ContactProfile,
    data: Mapping[str, Any],
    expected_version: int | None,
    actor: User,
    fields: tuple[str, ...],
) -> list[str]:
    """Change the given fields, audit each change, and return the names of changed fields.

    :raises Conflict: if someone saved the profile after ``expected_version`` was loaded.
    :raises FieldErrors: with a Danish message per field.
    """
    check_version(profile, expected_version, "Profilen")
    changed = []
    cleaned = clean(data, fields)
    lists.settle(profile, cleaned, actor)  # the centre fits; a proposed team is recorded
    for name, value in cleaned.items():
        old = current_value(profile, name)
        if same_value(old, value):
            continue
        assign(profile, name, value)
        audit.record(actor, "update", "contact", profile.id, name, _shown(old), _shown(value))
        changed.append(name)
    if changed:
        profile.version += 1
        profile.updated_at = utcnow()
    db.session.flush()
    return changed


def save(
    profile: ContactProfile,
    data: Mapping[str, Any],
    expected_version: int | None,
    actor: User,
    fields: tuple[str, ...],
    photo: bytes | None = None,
    remove_photo: bool = False,
    and_confirm: bool = False,
) -> None:
    """An edit form's save: the fields, then a new photo or the removal of the old one; with
    ``and_confirm`` (the person's own "Gem og bekræft") the result is confirmed as well. A
    proposed team that the profile left and nobody has any longer is withdrawn.

    :raises Conflict: if someone saved the profile after ``expected_version`` was loaded.
    :raises FieldErrors: with a Danish message per field (the photo's under ``photo``).
    """
    with one_save_wins("Profilen"):
        before = profile.team
        update_profile(profile, data, expected_version, actor, fields)
        if profile.team is not before:
            lists.withdraw_if_unchosen(before, actor)
        if photo is not None:
            photos.set_photo(profile, photo, actor)
        elif remove_photo and profile.photo:
            photos.remove_photo(profile, actor)
        if and_confirm:
            _mark_confirmed(profile, actor)


def _mark_confirmed(profile: ContactProfile, actor: User) -> None:
    profile.confirmed_at = utcnow()
    audit.record(actor, "confirm", "contact", profile.id)


def confirm(profile: ContactProfile, actor: User) -> None:
    """Confirmed as it is stored (the edit form's confirm-only action goes through
    ``confirmation.confirm_unchanged``, which first makes sure nothing was typed).

    :raises Conflict: if someone saved the profile meanwhile (confirm what you have seen).
    """
    with one_save_wins("Profilen"):
        _mark_confirmed(profile, actor)


def deactivate(profile: ContactProfile, actor: User | None) -> None:
    """The person leaves the directory and can no longer log in; the data stays."""
    auth.deactivate_user(profile.user, actor)
    audit.record(actor, "deactivate", "contact", profile.id)
    db.session.flush()


# Keeping profiles current


def stale_before() -> datetime:
    return utcnow() - timedelta(days=current_app.config["PROFILE_STALE_DAYS"])


def is_stale(profile: ContactProfile) -> bool:
    return profile.confirmed_at < stale_before()


def stale_profiles() -> list[ContactProfile]:
    """Active profiles not confirmed for ``PROFILE_STALE_DAYS``, the oldest first."""
    query = (
        sa.select(ContactProfile)
        .join(User)
        .where(User.active.is_(True), ContactProfile.confirmed_at < stale_before())
    )
    return sorted(db.session.scalars(query), key=lambda p: p.confirmed_at)


def history(profile: ContactProfile) -> list[AuditEntry]:
    """The profile's audit entries, the newest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "contact", AuditEntry.object_id == str(profile.id))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )
