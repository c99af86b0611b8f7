"""A contact person's own profile (/min-profil): edit, confirm, history and their data; and the
edit page that editors use too."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.contacts import privacy, profiles
from portal.contacts.forms import ProfileForm
from portal.contacts.models import ContactProfile
from portal.errors import Conflict, FieldErrors
from portal.forms import ConfirmForm, flash_refusal, show_refusal
from portal.security import Role, role_required


def _own_profile() -> ContactProfile:
    profile = profiles.profile_of(current_user)
    if profile is None:
        abort(404)
    return profile


def _fill(form: ProfileForm, profile: ContactProfile) -> None:
    """What the form's ``obj=`` cannot fill: the version, the areas, the phone, the name."""
    form.version.data = profile.version
    form.areas.data = ", ".join(profile.area_names)
    form.phone.data = profiles.format_phone(profile.phone)
    if hasattr(form, "name"):
        form.name.data = profile.name


def _form(form_class: type[ProfileForm], profile: ContactProfile) -> ProfileForm:
    if request.method != "GET":
        return form_class()
    form = form_class(obj=profile)
    _fill(form, profile)
    return form


def edit_page(
    profile: ContactProfile, form_class: type[ProfileForm], fields: tuple[str, ...], back: str
):
    """The edit form for ``profile``, saving ``fields``: on a refusal the form keeps the input
    and says why."""
    form = _form(form_class, profile)
    status = 200
    if form.validate_on_submit():
        try:
            photo, remove_photo = form.uploaded_photo(), bool(form.remove_photo.data)
            data, version = form.values(fields), form.expected_version()
            profiles.save(profile, data, version, current_user, fields, photo, remove_photo)
        except (FieldErrors, Conflict) as error:
            status = show_refusal(form, error)
        else:
            flash("Profilen er gemt.", "success")
            return redirect(back)
    elif request.method == "POST":
        status = show_refusal(form, FieldErrors({}))  # the fields say what is wrong
    stale = profiles.is_stale(profile)
    return render_template("contacts/edit.html", form=form, person=profile, stale=stale), status


@role_required(Role.CONTACT)
def my_profile():
    return edit_page(
        _own_profile(), ProfileForm, profiles.SELF_FIELDS, url_for("contacts.my_profile")
    )


@role_required(Role.CONTACT)
def confirm():
    if ConfirmForm().validate_on_submit():
        try:
            profiles.confirm(_own_profile(), current_user)
        except Conflict as error:
            flash_refusal(error)
        else:
            flash("Tak. Dine oplysninger er markeret som korrekte.", "success")
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
