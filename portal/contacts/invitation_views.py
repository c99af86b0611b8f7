"""The invitation link: a new user chooses a password and is logged in. Contact persons made by
the special unit and users of any role made by an administrator share it, so the welcome fits
the role (and a profile only where there is one)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from portal.auth import sessions
from portal.auth.models import User
from portal.contacts import invitations, profiles
from portal.contacts.forms import SetPasswordForm
from portal.errors import FieldErrors, ValidationError
from portal.forms import show_refusal
from portal.security import Role

# Where a new user starts, by role; a contact person with a profile starts on it.
FIRST_PAGE = {Role.EDITOR: "editor.index", Role.ADMIN: "admin.user_list"}


def _welcome(user: User, has_profile: bool):
    sessions.log_in(user)
    if has_profile:
        flash("Din adgangskode er gemt. Tjek nu din profil.", "success")
        return redirect(url_for("contacts.my_profile"))
    flash(f"Din adgangskode er gemt. Du er logget ind som {user.role_label.lower()}.", "success")
    return redirect(url_for(FIRST_PAGE.get(Role(user.role), "core.index")))


def accept_invite(token: str):
    try:
        user = invitations.user_for_invite(token)
    except ValidationError as error:
        return render_template("contacts/invite_invalid.html", message=error.message), 400
    has_profile = profiles.profile_of(user) is not None
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            invitations.accept_invite(token, form.password.data)
        except ValidationError as error:
            status = show_refusal(form, FieldErrors({"password": error.message}))
        else:
            return _welcome(user, has_profile)
    elif request.method == "POST":
        status = 400
    return render_template(
        "contacts/accept_invite.html", form=form, user=user, has_profile=has_profile
    ), status
