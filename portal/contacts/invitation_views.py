"""The invitation link: a new contact person chooses a password and is logged in."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_user

from portal.auth.models import User
from portal.contacts import invitations
from portal.contacts.forms import SetPasswordForm
from portal.errors import FieldErrors, ValidationError
from portal.forms import show_refusal
from portal.security import Role, has_role


def _welcome(user: User):
    session.clear()
    login_user(user)
    flash("Din adgangskode er gemt. Tjek nu din profil.", "success")
    own_profile = has_role(user, Role.CONTACT)
    return redirect(url_for("contacts.my_profile" if own_profile else "core.index"))


def accept_invite(token: str):
    try:
        user = invitations.user_for_invite(token)
    except ValidationError as error:
        return render_template("contacts/invite_invalid.html", message=error.message), 400
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            invitations.accept_invite(token, form.password.data)
        except ValidationError as error:
            status = show_refusal(form, FieldErrors({"password": error.message}))
        else:
            return _welcome(user)
    elif request.method == "POST":
        status = 400
    return render_template("contacts/accept_invite.html", form=form, user=user), status
