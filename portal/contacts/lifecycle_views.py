"""Deactivating, reactivating and erasing a contact person. A destructive action is a page
that says what will happen (GET) and a POST that does it; erasure also wants the name typed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from portal.contacts import lifecycle, profiles
from portal.contacts.models import ContactProfile
from portal.errors import FieldErrors, PortalError
from portal.forms import ConfirmForm, flash_refusal, show_refusal
from portal.security import Role, role_required


class EraseForm(FlaskForm):
    """Erasure is confirmed by typing the person's full name (checked by ``lifecycle.erase``)."""

    name = StringField(
        "Personens fulde navn",
        validators=[Length(max=200, message="Navnet passer ikke: et navn har højst 200 tegn.")],
    )


def _back_to(profile: ContactProfile) -> str:
    """The profile if it is shown, else the list of deactivated people."""
    if profile.active:
        return url_for("contacts.profile", profile_id=profile.id)
    return url_for("contacts.deactivated")


def _refused(error: PortalError, profile: ContactProfile):
    flash_refusal(error)
    return redirect(_back_to(profile))


@role_required(Role.EDITOR)
def deactivate(profile_id: int):
    profile = profiles.get_profile(profile_id)
    form = ConfirmForm()
    try:
        lifecycle.check_managed(profile.user)
        if form.validate_on_submit():
            lifecycle.deactivate(profile, current_user)
            flash(
                f"{profile.name} er deaktiveret og vises ikke længere i kontaktpersonlisten "
                "og søgningen. Du kan genaktivere personen herunder.",
                "success",
            )
            return redirect(url_for("contacts.deactivated"))
    except PortalError as error:
        return _refused(error, profile)
    status = 400 if form.is_submitted() else 200  # a POST without a valid CSRF token
    return render_template("contacts/deactivate.html", person=profile, form=form), status


@role_required(Role.EDITOR)
def reactivate(profile_id: int):
    profile = profiles.get_profile(profile_id, include_inactive=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        lifecycle.reactivate(profile, current_user)
    except PortalError as error:
        return _refused(error, profile)
    flash(
        f"{profile.name} er genaktiveret: vises igen i kontaktpersonlisten og søgningen og kan "
        "logge ind med sin adgangskode.",
        "success",
    )
    return redirect(url_for("contacts.profile", profile_id=profile.id))


@role_required(Role.ADMIN)
def erase(profile_id: int):
    profile = profiles.get_profile(profile_id, include_inactive=True)
    form = EraseForm()
    status = 200
    try:
        lifecycle.check_managed(profile.user)
    except PortalError as error:
        return _refused(error, profile)
    if form.validate_on_submit():
        name = profile.name
        try:
            lifecycle.erase(profile, current_user, form.name.data)
        except FieldErrors as error:
            status = show_refusal(form, error)
        except PortalError as error:
            return _refused(error, profile)
        else:
            flash(f"{name} er slettet. Historikken er bevaret uden personoplysninger.", "success")
            return redirect(url_for("contacts.directory"))
    elif form.is_submitted():
        status = show_refusal(form, FieldErrors({}, "Intet er slettet."))  # the field says why
    return render_template("contacts/erase.html", person=profile, form=form), status


@role_required(Role.EDITOR)
def deactivated():
    return render_template("contacts/deactivated.html", people=lifecycle.deactivated())
