"""A contact person's own profile (/min-profil): edit and confirm in one form, history and their
data; and the edit page that editors use too."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.contacts import confirmation, photos, privacy, profiles
from portal.contacts.forms import ProfileForm
from portal.contacts.models import ContactProfile
from portal.contacts.phones import HINT as PHONE_HINT
from portal.errors import Conflict, FieldErrors, NotFound
from portal.forms import show_refusal
from portal.security import Role, has_role, role_required

# The edit forms that carry a photo, and who may send one.
PHOTO_FORMS = {
    "contacts.my_profile": Role.CONTACT,
    "contacts.confirm": Role.CONTACT,
    "contacts.edit": Role.EDITOR,
}
NOT_SEEN = (
    "Intet er bekræftet: bekræftelsen kom ikke fra formularen herunder. Tjek dine "
    'oplysninger, og tryk så på "Mine oplysninger er stadig korrekte" eller "Gem og bekræft".'
)


def accept_photo_uploads(endpoint: str | None, _values: object) -> None:
    """A photo form's request may be as large as a camera's photo (``photos.REQUEST_LIMIT``),
    so that a photo over 5 MB is refused next to its field with the rest of the form kept.
    Registered as the blueprint's URL value preprocessor: it runs before any ``before_request``
    function, the CSRF check among them, reads the body. Only for those who may use the form;
    everyone else keeps ``MAX_CONTENT_LENGTH``."""
    role = PHOTO_FORMS.get(endpoint or "")
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if role and request.method == "POST" and limit and has_role(current_user, role):
        request.max_content_length = max(limit, photos.REQUEST_LIMIT)


def _own_profile() -> ContactProfile:
    """:raises NotFound: if the logged-in contact person has no profile."""
    profile = profiles.profile_of(current_user)
    if profile is None:
        raise NotFound("Du har ingen kontaktprofil. Kontakt BIF-SOF specialenheden.")
    return profile


def _filled(form_class: type[ProfileForm], profile: ContactProfile) -> ProfileForm:
    """The form showing what is stored (``obj=`` cannot fill the version, areas, phone, name)."""
    form = form_class(formdata=None, obj=profile)
    form.version.data = profile.version
    form.areas.data = confirmation.as_shown(profile, "areas")
    form.phone.data = confirmation.as_shown(profile, "phone")
    if hasattr(form, "name"):
        form.name.data = profile.name
    return form


def _form(form_class: type[ProfileForm], profile: ContactProfile) -> ProfileForm:
    return form_class() if request.method != "GET" else _filled(form_class, profile)


def _refused(form: ProfileForm, profile: ContactProfile, error: FieldErrors | Conflict) -> int:
    """``show_refusal``; after a conflict the form carries the version stored now (read again:
    the refusal rolled back), so that "gem igen", as the message says, saves what the person
    checked instead of meeting the same conflict for ever."""
    status = show_refusal(form, error)
    if isinstance(error, Conflict):
        form.version.data = profile.version
    return status


def _page(
    form: ProfileForm, profile: ContactProfile, fields: tuple[str, ...], status: int, own: bool
):
    """The edit page. The person's own page offers "Mine oplysninger er stadig korrekte" only
    while the form holds what is stored; after a change only "Gem og bekræft" is offered."""
    unchanged = own and not (
        confirmation.changed_fields(profile, form.values(fields), fields)
        or form.photo_changed(profile)
    )
    return render_template(
        "contacts/edit.html",
        form=form,
        person=profile,
        stale=profiles.is_stale(profile),
        own=own,
        offer_confirm=unchanged,
        phone_hint=PHONE_HINT,
    ), status


def edit_page(
    profile: ContactProfile,
    form_class: type[ProfileForm],
    fields: tuple[str, ...],
    back: str,
    own: bool = False,
):
    """The edit form for ``profile``, saving ``fields`` (and, on the person's own page,
    confirming them): on a refusal the form keeps the input and says why."""
    form = _form(form_class, profile)
    status = 200
    if form.validate_on_submit():
        try:
            photo, remove_photo = form.uploaded_photo(), bool(form.remove_photo.data)
            data, version = form.values(fields), form.expected_version()
            profiles.save(
                profile, data, version, current_user, fields, photo, remove_photo, and_confirm=own
            )
        except (FieldErrors, Conflict) as error:
            status = _refused(form, profile, error)
        else:
            saved = "Tak. Dine oplysninger er gemt og bekræftet." if own else "Profilen er gemt."
            flash(saved, "success")
            return redirect(back)
    elif request.method == "POST":
        status = show_refusal(form, FieldErrors({}))  # the fields say what is wrong
    return _page(form, profile, fields, status, own)


@role_required(Role.CONTACT)
def my_profile():
    """The form's "Gem og bekræft": save what is typed and confirm it, in one step."""
    back = url_for("contacts.my_profile")
    return edit_page(_own_profile(), ProfileForm, profiles.SELF_FIELDS, back, own=True)


@role_required(Role.CONTACT)
def confirm():
    """The form's "Mine oplysninger er stadig korrekte" (its button posts the whole form here):
    confirmed only if nothing in the form was changed; otherwise nothing is saved or
    confirmed, and the form comes back with the typed values, the changes marked."""
    profile, fields = _own_profile(), profiles.SELF_FIELDS
    form = ProfileForm()
    if form.expected_version() is None:  # not the form (an old page's separate button)
        form = _filled(ProfileForm, profile)
        form.form_errors.append(NOT_SEEN)
        return _page(form, profile, fields, 400, own=True)
    if not form.validate_on_submit():
        return _page(form, profile, fields, show_refusal(form, FieldErrors({})), own=True)
    try:
        data, version = form.values(fields), form.expected_version()
        changed_photo = form.photo_changed(profile)
        confirmation.confirm_unchanged(profile, data, version, current_user, fields, changed_photo)
    except (FieldErrors, Conflict) as error:
        return _page(form, profile, fields, _refused(form, profile, error), own=True)
    flash("Tak. Dine oplysninger er bekræftet som korrekte.", "success")
    return redirect(url_for("contacts.my_profile"))


@role_required(Role.CONTACT)
def my_history():
    profile = _own_profile()
    return render_template(
        "contacts/history.html",
        person=profile,
        entries=profiles.history(profile),
        labels=profiles.LABELS,
    )


@login_required
def my_data():
    body = json.dumps(privacy.export(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mine-data.json"'},
    )
