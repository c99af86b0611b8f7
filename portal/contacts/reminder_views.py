"""The reminder mail's one-click link: the page asks, the button confirms (a GET changes
nothing, so a mail scanner that opens the link confirms nothing)."""

from __future__ import annotations

from flask import render_template

from portal.auth.links import InvalidLink
from portal.contacts import reminders
from portal.errors import Conflict
from portal.extensions import limiter
from portal.forms import ConfirmForm

LINK_HELP = "Du kan altid logge ind og se og bekræfte dine oplysninger under Min profil."


@limiter.limit("30 per minute", methods=["POST"])
def confirm_by_link(token: str):
    try:
        profile = reminders.profile_for(token)
    except InvalidLink as error:
        return render_template("auth/link_invalid.html", message=error.message, help=LINK_HELP), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            reminders.confirm_by_link(token)
        except Conflict as error:  # saved meanwhile: look at it first
            return render_template(
                "auth/link_invalid.html", message=error.message, help=LINK_HELP
            ), 409
        return render_template("contacts/confirmed_by_link.html", profile=profile)
    return render_template("contacts/confirm_by_link.html", profile=profile, form=form)
