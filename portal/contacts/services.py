"""Contact persons: the directory, self-service profiles, invitations, export and erasure.
Functions flush; the caller commits."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.administration import FILTERS, chosen_filter
from portal.audit import AuditEntry
from portal.auth import services as auth
from portal.auth.models import User
from portal.contacts.models import ContactArea, ContactProfile
from portal.db import utcnow
from portal.errors import FieldErrors, NotFound, ValidationError, check_version
from portal.extensions import db
from portal.security import Role
from portal.text import contains_cpr, danish_sort_key, slugify

# What a contact person may change about themselves; editors may also change these.
SELF_FIELDS = ("email", "phone", "job_title", "centre", "team", "workplace", "areas", "about")
EDITOR_FIELDS = ("name", "administration", *SELF_FIELDS)
LIMITS = {
    "job_title": 120,
    "centre": 160,
    "team": 120,
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
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_SIZE = (480, 480)
INVITE_MAX_AGE = timedelta(days=7)


def format_phone(e164: str) -> str:
    """'+4512345678' -> '+45 12 34 56 78'."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "DK")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _clean(data: dict, fields: tuple[str, ...]) -> dict:
    """Validate and normalise the fields given; raise FieldErrors with Danish messages."""
    errors, cleaned = {}, {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name == "areas":
            items = value if isinstance(value, list) else str(value or "").split(",")
            areas = list(dict.fromkeys(a.strip() for a in items if a.strip()))
            if any(len(a) > 80 for a in areas) or len(areas) > 15:
                errors[name] = "Højst 15 områder på højst 80 tegn hver, adskilt af komma."
            cleaned[name] = areas
            continue
        value = " ".join(str(value or "").split()) if name != "about" else str(value or "").strip()
        if name in LIMITS and len(value) > LIMITS[name]:
            errors[name] = f"Må højst være {LIMITS[name]} tegn (du skrev {len(value)})."
        elif contains_cpr(value):
            errors[name] = "Må ikke indeholde noget, der ligner et CPR-nummer."
        elif name == "email":
            try:
                value = validate_email(value, check_deliverability=False).normalized
            except EmailNotValidError:
                errors[name] = "Skriv en gyldig e-mailadresse, fx navn@kk.dk."
        elif name == "phone" and value:
            try:
                number = phonenumbers.parse(value, "DK")
                if not phonenumbers.is_valid_number(number):
                    raise phonenumbers.NumberParseException(1, "invalid")
                value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            except phonenumbers.NumberParseException:
                errors[name] = (
                    "Skriv et gyldigt telefonnummer, fx 12 34 56 78 eller +45 12 34 56 78."
                )
        elif name == "administration" and value not in FILTERS:
            errors[name] = "Vælg BIF eller SOF."
        elif name == "name" and not value:
            errors[name] = "Skriv navnet."
        cleaned[name] = value
    if errors:
        raise FieldErrors(errors)
    return cleaned


def _current(profile: ContactProfile, name: str):
    if name == "areas":
        return profile.area_names
    if name == "name":
        return profile.user.name
    return getattr(profile, name)


def _set(profile: ContactProfile, name: str, value) -> None:
    if name == "areas":
        profile.areas = [ContactArea(name=a, slug=slugify(a)) for a in value]
    elif name == "name":
        profile.user.name = value
    else:
        setattr(profile, name, value)


def update_profile(
    profile: ContactProfile,
    data: dict,
    expected_version: int | None,
    actor: User,
    fields: tuple,
) -> list[str]:
    """Change the given fields, audit each change, and return the names of changed fields.

    :raises Conflict: if someone saved the profile after ``expected_version`` was loaded.
    :raises FieldErrors: with a Danish message per field.
    """
    check_version(profile, expected_version, "Profilen")
    cleaned = _clean(data, fields)
    changed = []
    for name, value in cleaned.items():
        old = _current(profile, name)
        if old == value:
            continue
        _set(profile, name, value)
        shown = (lambda v: ", ".join(v)) if name == "areas" else (lambda v: v)
        audit.record(actor, "update", "contact", profile.id, name, shown(old), shown(value))
        changed.append(name)
    if changed:
        profile.version += 1
        profile.updated_at = utcnow()
        if actor.id == profile.user_id:
            profile.confirmed_at = profile.updated_at  # the owner has looked at it
    db.session.flush()
    return changed


def confirm(profile: ContactProfile, actor: User) -> None:
    """'Mine oplysninger er korrekte': confirmed without changing anything."""
    profile.confirmed_at = utcnow()
    audit.record(actor, "confirm", "contact", profile.id)
    db.session.flush()


def set_photo(profile: ContactProfile, data: bytes, actor: User) -> None:
    """Accept a JPEG, PNG or WebP by its content, re-encode it (no metadata survives).

    :raises FieldErrors: for anything else, too large files or too many pixels.
    """
    if len(data) > PHOTO_MAX_BYTES:
        raise FieldErrors({"photo": "Billedet er for stort. Højst 5 MB."})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in PHOTO_FORMATS:
                raise FieldErrors({"photo": "Brug et foto i JPEG, PNG eller WebP."})
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise FieldErrors({"photo": "Billedet har for mange pixel. Gør det mindre."})
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(PHOTO_SIZE)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise FieldErrors({"photo": "Filen er ikke et billede i JPEG, PNG eller WebP."}) from exc
    profile.photo = out.getvalue()
    profile.photo_version += 1
    profile.version += 1
    profile.updated_at = utcnow()
    audit.record(actor, "update", "contact", profile.id, "photo", None, "nyt foto")
    db.session.flush()


def remove_photo(profile: ContactProfile, actor: User) -> None:
    profile.photo = None
    profile.photo_version += 1
    profile.version += 1
    audit.record(actor, "update", "contact", profile.id, "photo", "foto", None)
    db.session.flush()


# Reading


def stale_before():
    return utcnow() - timedelta(days=current_app.config["PROFILE_STALE_DAYS"])


def is_stale(profile: ContactProfile) -> bool:
    return profile.confirmed_at < stale_before()


@dataclass
class Filters:
    administration: str | None = None
    centre: str | None = None
    team: str | None = None
    area: str | None = None  # an area's slug
    q: str = ""

    def as_args(self) -> dict:
        return {
            k: v
            for k, v in {
                "forvaltning": self.administration,
                "center": self.centre,
                "team": self.team,
                "omraade": self.area,
                "q": self.q,
            }.items()
            if v
        }


def directory(filters: Filters) -> list[ContactProfile]:
    """Active contact persons matching every filter, in Danish alphabetical order."""
    query = (
        sa.select(ContactProfile)
        .join(User)
        .where(User.active.is_(True))
        .options(selectinload(ContactProfile.areas))  # one query for every card's areas
    )
    if chosen_filter(filters.administration):
        query = query.where(ContactProfile.administration == filters.administration)
    if filters.centre:
        query = query.where(ContactProfile.centre == filters.centre)
    if filters.team:
        query = query.where(ContactProfile.team == filters.team)
    if filters.area:
        query = query.where(ContactProfile.areas.any(ContactArea.slug == filters.area))
    for word in filters.q.split()[:5]:
        pattern = f"%{word}%"
        query = query.where(
            sa.or_(
                User.name.ilike(pattern),
                ContactProfile.job_title.ilike(pattern),
                ContactProfile.centre.ilike(pattern),
                ContactProfile.team.ilike(pattern),
                ContactProfile.areas.any(ContactArea.name.ilike(pattern)),
            )
        )
    return sorted(db.session.scalars(query).unique(), key=lambda p: danish_sort_key(p.name))


def choices() -> dict[str, list]:
    """The values the directory's filters offer, from active profiles."""
    active = sa.select(ContactProfile.id).join(User).where(User.active.is_(True))
    centres = db.session.scalars(
        sa.select(ContactProfile.centre).where(ContactProfile.id.in_(active)).distinct()
    )
    teams = db.session.scalars(
        sa.select(ContactProfile.team).where(ContactProfile.id.in_(active)).distinct()
    )
    areas = db.session.execute(
        sa.select(ContactArea.slug, ContactArea.name)
        .where(ContactArea.profile_id.in_(active))
        .distinct()
    ).all()
    return {
        "centres": sorted((c for c in centres if c), key=danish_sort_key),
        "teams": sorted((t for t in teams if t), key=danish_sort_key),
        "areas": sorted({(s, n) for s, n in areas}, key=lambda a: danish_sort_key(a[1])),
    }


def get_profile(profile_id: int, include_inactive: bool = False) -> ContactProfile:
    """:raises NotFound: if there is no such (active) contact person."""
    profile = db.session.get(ContactProfile, profile_id)
    if profile is None or (not profile.active and not include_inactive):
        raise NotFound("Kontaktpersonen findes ikke eller er ikke længere aktiv.")
    return profile


def profile_of(user: User) -> ContactProfile | None:
    return db.session.scalar(sa.select(ContactProfile).where(ContactProfile.user_id == user.id))


def stale_profiles() -> list[ContactProfile]:
    query = (
        sa.select(ContactProfile)
        .join(User)
        .where(User.active.is_(True), ContactProfile.confirmed_at < stale_before())
    )
    return sorted(db.session.scalars(query), key=lambda p: p.confirmed_at)


def history(profile: ContactProfile) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "contact", AuditEntry.object_id == str(profile.id))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
    )


# Editors: create, invite, deactivate


def create_contact(data: dict, actor: User, is_demo: bool = False) -> ContactProfile:
    cleaned = _clean(data, EDITOR_FIELDS)
    if auth.get_by_email(cleaned["email"]) is not None:
        raise FieldErrors({"email": "Der findes allerede en bruger med den e-mail."})
    user = auth.create_user(
        cleaned["email"], cleaned["name"], Role.CONTACT.value, None, actor, is_demo=is_demo
    )
    profile = ContactProfile(
        user=user, administration=cleaned["administration"], email=user.email, is_demo=is_demo
    )
    for name in SELF_FIELDS:
        if name in cleaned:
            _set(profile, name, cleaned[name])
    db.session.add(profile)
    db.session.flush()
    audit.record(actor, "create", "contact", profile.id)
    return profile


def _invites() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="contact-invite")


def _fingerprint(user: User) -> str:
    # Changes when the password is set, so a link works once.
    return hashlib.sha256((user.password_hash or "ny").encode()).hexdigest()[:16]


def invite_token(user: User) -> str:
    return _invites().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_invite(token: str) -> User:
    """:raises ValidationError: if the link is unknown, used or expired."""
    try:
        data = _invites().loads(token, max_age=int(INVITE_MAX_AGE.total_seconds()))
    except SignatureExpired as exc:
        raise ValidationError("Linket er udløbet. Bed BIF-SOF specialenheden om et nyt.") from exc
    except BadSignature as exc:
        raise ValidationError("Linket er ikke gyldigt.") from exc
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        raise ValidationError("Linket er allerede brugt eller ikke længere gyldigt.")
    return user


def accept_invite(token: str, password: str) -> User:
    user = user_for_invite(token)
    auth.set_password(user, password, actor=user)
    return user


def deactivate(profile: ContactProfile, actor: User) -> None:
    auth.deactivate_user(profile.user, actor)
    audit.record(actor, "deactivate", "contact", profile.id)


# The person's own data


def export(user: User) -> dict:
    """Everything the portal holds about a person, for them to download."""
    profile = profile_of(user)
    data = {
        "bruger": {
            "navn": user.name,
            "email": user.email,
            "rolle": user.role,
            "aktiv": user.active,
            "oprettet": user.created_at.isoformat(),
            "sidste_login": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "profil": None,
        "historik": [],
    }
    if profile is not None:
        data["profil"] = {
            **{LABELS[f]: _current(profile, f) for f in SELF_FIELDS},
            "Forvaltning": profile.administration,
            "Foto": bool(profile.photo),
            "Bekræftet": profile.confirmed_at.isoformat(),
            "Opdateret": profile.updated_at.isoformat(),
        }
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(
            sa.or_(
                AuditEntry.actor_id == user.id,
                sa.and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id)),
                sa.and_(
                    AuditEntry.object_type == "contact",
                    AuditEntry.object_id == str(profile.id if profile else -1),
                ),
            )
        )
        .order_by(AuditEntry.at)
    )
    data["historik"] = [
        {
            "tid": e.at.isoformat(),
            "handling": e.action,
            "felt": e.field,
            "før": e.old_value,
            "efter": e.new_value,
        }
        for e in entries
    ]
    return data


def erase(profile: ContactProfile, actor: User) -> None:
    """Remove a person: profile, photo, areas, login and sessions (the user row goes), and
    the search document (through the outbox). Audit entries stay, pseudonymised."""
    user = profile.user
    alias = f"slettet-{hashlib.sha256(user.email.encode()).hexdigest()[:8]}"
    entries = db.session.scalars(
        sa.select(AuditEntry).where(
            sa.or_(
                AuditEntry.actor_id == user.id,
                sa.and_(
                    AuditEntry.object_type == "contact", AuditEntry.object_id == str(profile.id)
                ),
                sa.and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id)),
            )
        )
    )
    for entry in entries:
        if entry.actor_id == user.id:
            entry.actor = alias
        if entry.object_type == "contact" or entry.object_type == "user":
            if entry.old_value is not None:
                entry.old_value = "[slettet]"
            if entry.new_value is not None:
                entry.new_value = "[slettet]"
    db.session.delete(profile)
    db.session.delete(user)
    audit.record(actor, "erase", "contact", profile.id, None, None, alias)
    db.session.flush()
