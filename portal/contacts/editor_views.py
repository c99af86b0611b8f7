"""The special unit's work on contact persons: edit, history, create and invite (the link is
handed over on a page of its own, after a redirect), and the profiles to follow up on."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth import handover
from portal.contacts import invitations, lifecycle, profiles
from portal.contacts import reminders as reminder_mail
from portal.contacts.forms import EditorProfileForm
from portal.contacts.presenter import visible
from portal.contacts.profile_views import edit_page
from portal.errors import FieldErrors, PortalError
from portal.forms import ConfirmForm, flash_refusal, show_refusal
from portal.security import Role, role_required

INVITE_SUBJECT = "Din profil på BIF-SOF Portalen"
REMINDER_SUBJECT = "Er dine oplysninger på BIF-SOF Portalen stadig korrekte?"
REMINDER_BODY = (
    "Hej\n\nDin profil som BIF-SOF-kontaktperson er ikke bekræftet i et stykke "
    "tid. Log ind på BIF-SOF Portalen under Min profil, og ret eller bekræft "
    "dine oplysninger:\n{link}\n\nVenlig hilsen\nBIF-SOF specialenheden"
)


def _mailto(address: str, subject: str, body: str) -> str:
    return f"mailto:{address}?subject={quote(subject)}&body={quote(body)}"


@role_required(Role.EDITOR)
def edit(profile_id: int):
    profile = profiles.get_profile(profile_id)
    back = url_for("contacts.profile", profile_id=profile.id)
    return edit_page(profile, EditorProfileForm, profiles.EDITOR_FIELDS, back)


@role_required(Role.EDITOR)
def history(profile_id: int):
    profile = profiles.get_profile(profile_id, include_inactive=True)
    return render_template(
        "contacts/history.html",
        person=profile,
        entries=profiles.history(profile),
        labels=profiles.LABELS,
    )


@role_required(Role.EDITOR)
def create():
    form = EditorProfileForm()
    status = 200
    if form.validate_on_submit():
        try:
            data = form.values(profiles.EDITOR_FIELDS)
            profile = invitations.create_contact(data, current_user)
            invitations.invite(profile.user, current_user)  # shown on the invitation page
        except FieldErrors as error:
            status = show_refusal(form, error)
        else:
            flash(
                f"{profile.name} er oprettet. Send personen invitationslinket herunder.", "success"
            )
            return redirect(url_for("contacts.invitation", profile_id=profile.id))
    elif request.method == "POST":
        status = show_refusal(form, FieldErrors({}))  # the fields say what is wrong
    return render_template("contacts/create.html", form=form), status


@role_required(Role.EDITOR)
def invitation(profile_id: int):
    """The latest invitation link for the person while it works, ready to send; else why
    there is none, and (if the person has no password yet) a button for a new one."""
    profile = profiles.get_profile(profile_id)
    managed_here = lifecycle.managed_here(profile.user)
    # Never an administrator's invitation for a login with editor rights to an editor.
    link = handover.kept(profile.user) if managed_here else None
    mailto = None
    if link is not None:
        body = (
            f"Hej {profile.name}\n\nVælg din adgangskode til BIF-SOF Portalen her "
            f"(linket virker én gang i 7 dage):\n{link.url}\n"
        )
        mailto = _mailto(profile.email, INVITE_SUBJECT, body)
    return render_template(
        "contacts/invite.html",
        person=profile,
        link=link,
        mailto=mailto,
        managed_here=managed_here,
    )


@role_required(Role.EDITOR)
def invite(profile_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    profile = profiles.get_profile(profile_id)
    try:
        invitations.invite(profile.user, current_user)  # shown on the invitation page
    except PortalError as error:
        flash_refusal(error)
    return redirect(url_for("contacts.invitation", profile_id=profile.id))


@role_required(Role.EDITOR)
def stale():
    people = [visible(p, current_user) for p in profiles.stale_profiles()]
    body = REMINDER_BODY.format(link=url_for("contacts.my_profile", _external=True))
    reminders = {p.id: _mailto(p.email, REMINDER_SUBJECT, body) for p in people}
    return render_template(
        "contacts/stale.html",
        people=people,
        reminders=reminders,
        reminded=reminder_mail.reminded(profiles.stale_profiles()),
        every_days=current_app.config["PROFILE_REMINDER_EVERY_DAYS"],
        most=current_app.config["PROFILE_REMINDERS_MAX"],
        days=current_app.config["PROFILE_STALE_DAYS"],
    )
