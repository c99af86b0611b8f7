"""Users for administrators: the list, creating a user, one user's page with role, links and
status."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.admin import users
from portal.admin.forms import CreateUserForm, RoleForm
from portal.auth import handover
from portal.errors import FieldErrors, PortalError, ValidationError
from portal.forms import ConfirmForm, flash_refusal, show_refusal
from portal.security import ROLE_LABELS, Role, role_required


@role_required(Role.ADMIN)
def user_list():
    filters = users.UserFilters.from_args(request.args)
    return render_template(
        "admin/users.html",
        rows=users.list_users(filters),
        filters=filters,
        roles=ROLE_LABELS,
        statuses=users.STATUSES,
    )


@role_required(Role.ADMIN)
def create_user():
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = users.create_user(form.name.data, form.email.data, form.role.data, current_user)
            handover.invitation(user, current_user)  # shown on the user's page
        except FieldErrors as error:
            status = show_refusal(form, error)
        else:
            flash(f"{user.name} er oprettet. Giv personen invitationslinket herunder.", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    elif request.method == "POST":
        status = show_refusal(form, FieldErrors({}))
    return render_template("admin/create.html", form=form), status


@role_required(Role.ADMIN)
def user(user_id: int):
    person = users.get_user(user_id)
    form = RoleForm(role=person.role)
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        has_profile=users.has_profile(person),
        link=handover.kept(person),
    )


@role_required(Role.ADMIN)
def change_role(user_id: int):
    person = users.get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        raise ValidationError("Vælg en af rollerne.")
    confirmed = form.confirm.data == "ja"
    try:
        changed = users.change_role(person, form.role.data, current_user, confirmed)
    except users.NeedsConfirmation:
        form.confirm.data = "ja"  # nothing has changed: the page asks first
        return render_template(
            "admin/confirm_demotion.html",
            person=person,
            form=form,
            role_label=ROLE_LABELS[Role(form.role.data)],
        )
    except PortalError as error:
        flash_refusal(error)
        return redirect(url_for("admin.user", user_id=person.id))
    if not changed:
        return redirect(url_for("admin.user", user_id=person.id))
    flash(f"{person.name} er nu {person.role_label.lower()}.", "success")
    if person.id == current_user.id and person.role != Role.ADMIN.value:
        return redirect(url_for("core.index"))  # no longer an administrator
    return redirect(url_for("admin.user", user_id=person.id))


@role_required(Role.ADMIN)
def deactivate(user_id: int):
    person = users.get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            users.deactivate(person, current_user)
        except PortalError as error:
            flash_refusal(error)
        else:
            flash(f"{person.name} er deaktiveret og logget ud overalt.", "success")
        return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/deactivate.html", person=person, form=form)


@role_required(Role.ADMIN)
def reactivate(user_id: int):
    person = users.get_user(user_id)
    if ConfirmForm().validate_on_submit():
        users.reactivate(person, current_user)
        flash(f"{person.name} er genaktiveret og kan logge ind igen.", "success")
    return redirect(url_for("admin.user", user_id=person.id))


@role_required(Role.ADMIN)
def make_link(user_id: int, kind: str):
    person = users.get_user(user_id)
    if ConfirmForm().validate_on_submit():
        make = handover.invitation if kind == "invitation" else handover.reset
        try:
            make(person, current_user)  # shown on the user's page
        except PortalError as error:
            flash_refusal(error)
    return redirect(url_for("admin.user", user_id=person.id))
