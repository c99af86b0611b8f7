"""'Mine oplysninger er stadig korrekte': a person confirms their profile from its edit form,
and only if the form holds exactly what is stored, so that a typed change is never dropped
while the old data is marked as confirmed. (Saving confirms too: ``profiles.save``.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth.models import User
from portal.contacts import profiles
from portal.contacts.models import Centre, ContactProfile, Team
from portal.contacts.phones import format_phone
from portal.errors import FieldErrors, check_version

UNSAVED_FIELD = "Ændret, men ikke gemt."
UNSAVED = (
    "Du har ændret noget (markeret herunder), og det er ikke gemt. Intet er bekræftet. "
    'Tryk på "Gem og bekræft" for at gemme ændringerne og bekræfte dem, eller hent siden '
    "igen for at fortryde dem."
)


# Chosen together: a team belongs to a centre, and a proposed team to the chosen centre.
PLACEMENT = ("administration", "centre", "team")


def as_shown(profile: ContactProfile, name: str) -> str:
    """A stored value as the edit form shows it, and so as it comes back if nobody touches it:
    a list entry by its id, the areas as one text, the phone number formatted."""
    if name == "areas":
        return ", ".join(profile.area_names)
    if name == "phone":
        return format_phone(profile.phone)
    value = profiles.current_value(profile, name)
    if isinstance(value, Centre | Team):
        return str(value.id)
    return "" if value is None else str(value)


def _untouched(profile: ContactProfile, name: str, typed: object) -> bool:
    return isinstance(typed, str) and profiles.same_value(typed, as_shown(profile, name))


def changed_fields(
    profile: ContactProfile, data: Mapping[str, Any], fields: tuple[str, ...]
) -> dict[str, str]:
    """The fields of ``data`` that are changed, each with what to say about it: that it is not
    saved, or why the value cannot be accepted. A field is unchanged if it comes back as the
    form showed it (even if today's rules would write the stored value differently: a
    synonym added to the glossary since, spacing from before the rules), or if it is the
    stored value written another way (a phone number with +45, an area's case)."""
    present = tuple(n for n in fields if n in data)
    touched = {n for n in present if not _untouched(profile, n, data[n])}
    groups: list[tuple[str, ...]] = [(n,) for n in present if n not in PLACEMENT]
    groups.append(tuple(n for n in present if n in PLACEMENT))
    changed: dict[str, str] = {}
    for group in (g for g in groups if touched.intersection(g)):
        try:
            cleaned = profiles.clean(data, group)
        except FieldErrors as error:  # what saving would say, on the fields it concerns
            wrong = {n: error.errors[n] for n in group if n in error.errors}
            changed.update({n: UNSAVED_FIELD for n in group if n in touched}, **wrong)
            continue
        for name in touched.intersection(group):
            if not profiles.same_value(profiles.current_value(profile, name), cleaned[name]):
                changed[name] = UNSAVED_FIELD
    return changed


def confirm_unchanged(
    profile: ContactProfile,
    data: Mapping[str, Any],
    expected_version: int | None,
    actor: User,
    fields: tuple[str, ...],
    photo_changed: bool = False,
) -> None:
    """Confirm ``profile`` as it is stored, if ``data`` (the submitted form) holds just that.

    :raises Conflict: if someone saved the profile after ``expected_version`` was loaded.
    :raises FieldErrors: on each changed field (``photo`` for a new photo or its removal);
        nothing is saved and nothing is confirmed.
    """
    check_version(profile, expected_version, "Profilen")
    changed = changed_fields(profile, data, fields)
    if photo_changed:
        changed["photo"] = UNSAVED_FIELD
    if changed:
        raise FieldErrors(changed, UNSAVED)
    profiles.confirm(profile, actor)
