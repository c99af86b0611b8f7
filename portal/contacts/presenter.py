"""What a viewer may see of a contact profile: the one place that decides it. The directory's
cards, the profile page, the JSON API, vCards, the CSV export and the search document are all
built from a ``ContactView``, never from the profile itself.

Everyone who may read the directory sees the work profile: name, title, administration, unit,
workplace, work e-mail and phone, areas, the short presentation, the photo, when it was last
updated and whether it has been confirmed recently. When it was confirmed is for the special
unit (editors and admins) and the person themself. Nothing else leaves the profile: not the
login, its role, the photo's bytes or the version counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.contacts.phones import format_phone
from portal.security import Role, has_role


@dataclass(frozen=True)
class ContactView:
    id: int
    name: str
    job_title: str
    administration: str  # BIF or SOF
    centre: str
    team: str
    workplace: str
    email: str
    phone: str  # E.164 ("+4512345678") or ""; shown with the ``phone`` filter
    areas: tuple[str, ...]
    about: str
    updated_at: datetime
    is_demo: bool
    photo_version: int | None  # None: no photo
    stale: bool  # not confirmed for PROFILE_STALE_DAYS
    confirmed_at: datetime | None  # None: not for this viewer

    @property
    def phone_shown(self) -> str:
        return format_phone(self.phone)


def sees_confirmation(profile: ContactProfile, viewer: object) -> bool:
    """The special unit follows up on profiles; a person may see their own."""
    if has_role(viewer, Role.EDITOR):
        return True
    return bool(getattr(viewer, "is_authenticated", False)) and (
        getattr(viewer, "id", None) == profile.user_id
    )


def visible(profile: ContactProfile, viewer: object) -> ContactView:
    """What ``viewer`` (a user, the anonymous user, or None for anyone) may see of ``profile``."""
    return ContactView(
        id=profile.id,
        name=profile.name,
        job_title=profile.job_title,
        administration=profile.administration,
        centre=profile.centre_name,
        team=profile.team_name,
        workplace=profile.workplace,
        email=profile.email,
        phone=profile.phone,
        areas=tuple(profile.area_names),
        about=profile.about,
        updated_at=profile.updated_at,
        is_demo=profile.is_demo,
        photo_version=profile.photo_version if profile.has_photo else None,
        stale=profiles.is_stale(profile),
        confirmed_at=profile.confirmed_at if sees_confirmation(profile, viewer) else None,
    )
