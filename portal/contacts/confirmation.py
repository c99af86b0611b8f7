"""'Mine oplysninger er stadig korrekte': a person confirms their profile from its edit form,
and only if the form holds exactly what is stored, so that a typed change is never dropped
while the old data is marked as confirmed. (Saving confirms too: ``profiles.save``.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth.models import User
from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors, check_version

UNSAVED_FIELD = "Ændret, men ikke gemt."
UNSAVED = (
    "Du har ændret noget (markeret herunder), og det er ikke gemt. Intet er bekræftet. "
    'Tryk på "Gem og bekræft" for at gemme ændringerne og bekræfte dem, eller hent siden '
    "igen for at fortryde dem."
)


def changed_fields(
    profile: ContactProfile, data: Mapping[str, Any], fields: tuple[str, ...]
) -> dict[str, str]:
    """The fields of ``data`` whose value is not the stored one once normalised (a phone
    number written another way is the same number), each with what to say about it: that it
    is not saved, or why the value cannot be accepted."""
    changed = {}
    for name in (n for n in fields if n in data):
        try:
            value = profiles.clean(data, (name,))[name]
        except FieldErrors as error:
            changed[name] = error.errors[name]
            continue
        if value != profiles.current_value(profile, name):
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
