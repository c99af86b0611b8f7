"""Users for administrators: the list, creating a user, one user's page with role, links and
status."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal.admin import handover, users
from portal.admin.forms import CreateUserForm, RoleForm
from portal.errors import FieldErrors, PortalError, ValidationError
from portal.forms import ConfirmForm, flash_refusal, show_refusal
from portal.security import ROLE_LABELS, Role, role_required

# The links an administrator has made lately, kept in their own session (signed, for them
# only) so that the user's page shows a link again after a reload, until it is used or expires.
LINKS_KEY = "admin_links"
LINKS_KEPT = 5


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
            token = handover.invitation(user, current_user)
        except FieldErrors as error:
            status = show_refusal(form, error)
        else:
            _keep_link(user.id, "invitation", token)
            flash(f"{user.name} er oprettet. Giv personen invitationslinket herunder.", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    elif request.method == "POST":
        status = show_refusal(form, FieldErrors({}))
    return render_template("admin/create.html", form=form), status


def _keep_link(user_id: int, kind: str, token: str) -> None:
    kept = [e for e in session.get(LINKS_KEY, []) if e[0] != user_id]
    session[LINKS_KEY] = [*kept, [user_id, kind, token]][-LINKS_KEPT:]


def _kept_link(user) -> tuple[str, str] | None:
    """(kind, url) of a link made for ``user`` that still works."""
    for user_id, kind, token in session.get(LINKS_KEY, []):
        if user_id == user.id and handover.still_valid(user, kind, token):
            endpoint = "contacts.accept_invite" if kind == "invitation" else "auth.reset_password"
            return kind, url_for(endpoint, token=token, _external=True)
    return None


@role_required(Role.ADMIN)
def user(user_id: int):
    person = users.get_user(user_id)
    form = RoleForm(role=person.role)
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        has_profile=users.has_profile(person),
        link=_kept_link(person),
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
            token = make(person, current_user)
        except PortalError as error:
            flash_refusal(error)
        else:
            _keep_link(person.id, kind, token)
    return redirect(url_for("admin.user", user_id=person.id))
