"""Changing profiles: the person's own (/min-profil), editors' work, invitations, erasure."""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user

from portal.auth.models import User
from portal.contacts import services
from portal.contacts.forms import EditorProfileForm, ProfileForm, SetPasswordForm
from portal.contacts.models import ContactProfile
from portal.errors import Conflict, FieldErrors, ValidationError
from portal.forms import ConfirmForm, show_refusal
from portal.security import Role, has_role, role_required


def _own_profile() -> ContactProfile:
    profile = services.profile_of(current_user)
    if profile is None:
        abort(404)
    return profile


def _form_data(form: ProfileForm, fields: tuple[str, ...]) -> dict:
    return {name: getattr(form, name).data for name in fields if hasattr(form, name)}


def _save(profile: ContactProfile, form: ProfileForm, fields: tuple[str, ...]) -> int | None:
    """Validate and save. On any refusal the form keeps the user's input and says why, and the
    status to answer with is returned."""
    try:
        data = _form_data(form, fields)
        services.update_profile(profile, data, form.expected_version(), current_user, fields)
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            services.set_photo(profile, upload.read(), current_user)
        elif form.remove_photo.data and profile.photo:
            services.remove_photo(profile, current_user)
    except (FieldErrors, Conflict) as error:
        return show_refusal(form, error)
    return None


def _edit(profile: ContactProfile, form_class, fields, template: str, back: str):
    form = form_class(obj=profile) if request.method == "GET" else form_class()
    if request.method == "GET":
        form.version.data = profile.version
        form.areas.data = ", ".join(profile.area_names)
        form.phone.data = services.format_phone(profile.phone)
        if hasattr(form, "name"):
            form.name.data = profile.name
    status = 200
    if form.validate_on_submit():
        refused = _save(profile, form, fields)
        if refused is None:
            flash("Profilen er gemt.", "success")
            return redirect(back)
        status = refused
    elif request.method == "POST":
        form.form_errors.append("Tjek de markerede felter.")
        status = 400
    return render_template(
        template, form=form, person=profile, stale=services.is_stale(profile)
    ), status


@role_required(Role.CONTACT)
def my_profile():
    profile = _own_profile()
    return _edit(
        profile,
        ProfileForm,
        services.SELF_FIELDS,
        "contacts/edit.html",
        url_for("contacts.my_profile"),
    )


@role_required(Role.CONTACT)
def confirm():
    if ConfirmForm().validate_on_submit():
        services.confirm(_own_profile(), current_user)
        flash("Tak. Dine oplysninger er markeret som korrekte.", "success")
    return redirect(url_for("contacts.my_profile"))


@role_required(Role.CONTACT)
def my_history():
    profile = _own_profile()
    return render_template(
        "contacts/history.html", person=profile, entries=services.history(profile)
    )


@login_required
def my_data():
    body = json.dumps(services.export(current_user), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mine-data.json"'},
    )


# Editors


@role_required(Role.EDITOR)
def edit(profile_id: int):
    profile = services.get_profile(profile_id)
    return _edit(
        profile,
        EditorProfileForm,
        services.EDITOR_FIELDS,
        "contacts/edit.html",
        url_for("contacts.profile", profile_id=profile.id),
    )


@role_required(Role.EDITOR)
def history(profile_id: int):
    profile = services.get_profile(profile_id, include_inactive=True)
    return render_template(
        "contacts/history.html", person=profile, entries=services.history(profile)
    )


@role_required(Role.EDITOR)
def create():
    form = EditorProfileForm()
    status = 200
    if form.validate_on_submit():
        try:
            profile = services.create_contact(
                _form_data(form, services.EDITOR_FIELDS), current_user
            )
        except FieldErrors as error:
            status = show_refusal(form, error)
        else:
            return _show_invite(profile)
    elif request.method == "POST":
        form.form_errors.append("Tjek de markerede felter.")
        status = 400
    return render_template("contacts/create.html", form=form), status


def _show_invite(profile: ContactProfile):
    link = url_for(
        "contacts.accept_invite", token=services.invite_token(profile.user), _external=True
    )
    subject = quote("Din profil på BIF-SOF Portalen")
    body = quote(
        f"Hej {profile.name}\n\nVælg din adgangskode til BIF-SOF Portalen her "
        f"(linket virker én gang i 7 dage):\n{link}\n"
    )
    return render_template(
        "contacts/invite.html",
        person=profile,
        link=link,
        mailto=f"mailto:{profile.email}?subject={subject}&body={body}",
    )


@role_required(Role.EDITOR)
def invite(profile_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _show_invite(services.get_profile(profile_id))


@role_required(Role.EDITOR)
def deactivate(profile_id: int):
    profile = services.get_profile(profile_id)
    if ConfirmForm().validate_on_submit():
        services.deactivate(profile, current_user)
        flash(f"{profile.name} er deaktiveret og vises ikke længere.", "success")
    return redirect(url_for("contacts.directory"))


@role_required(Role.ADMIN)
def erase(profile_id: int):
    profile = services.get_profile(profile_id, include_inactive=True)
    if ConfirmForm().validate_on_submit():
        services.erase(profile, current_user)
        flash("Personen er slettet. Historikken er bevaret uden personoplysninger.", "success")
    return redirect(url_for("contacts.directory"))


@role_required(Role.EDITOR)
def stale():
    people = services.stale_profiles()
    subject = quote("Er dine oplysninger på BIF-SOF Portalen stadig korrekte?")
    body = quote(
        "Hej\n\nDin profil som BIF-SOF-kontaktperson er ikke bekræftet i et stykke "
        "tid. Log ind på BIF-SOF Portalen under Min profil, og ret eller bekræft "
        "dine oplysninger.\n\nVenlig hilsen\nBIF-SOF specialenheden"
    )
    reminders = {p.id: f"mailto:{p.email}?subject={subject}&body={body}" for p in people}
    return render_template(
        "contacts/stale.html",
        people=people,
        reminders=reminders,
        days=current_app.config["PROFILE_STALE_DAYS"],
    )


# Invitations


def accept_invite(token: str):
    try:
        user: User = services.user_for_invite(token)
    except ValidationError as error:
        return render_template("contacts/invite_invalid.html", message=error.message), 400
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.accept_invite(token, form.password.data)
        except ValidationError as error:
            status = show_refusal(form, FieldErrors({"password": error.message}))
        else:
            session.clear()
            login_user(user)
            flash("Din adgangskode er gemt. Tjek nu din profil.", "success")
            return redirect(
                url_for("contacts.my_profile")
                if has_role(user, Role.CONTACT)
                else url_for("core.index")
            )
    elif request.method == "POST":
        status = 400
    return render_template("contacts/accept_invite.html", form=form, user=user), status
