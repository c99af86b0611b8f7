"""A user's mail settings, and the administrators' view of the outbox."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.errors import ValidationError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.mail import delivery, outbox, preferences
from portal.mail.forms import SettingsForm
from portal.mail.models import STATUS_LABELS, MailMessage
from portal.security import Role, role_required

PAGE_SIZE = 100


@login_required
def settings():
    form = SettingsForm(data=preferences.chosen(current_user))
    if form.validate_on_submit():
        preferences.choose(current_user, {kind for kind in preferences.OPTIONAL if form[kind].data})
        flash("Dine valg om e-mail er gemt.", "success")
        return redirect(url_for("mail.settings"))
    return render_template("mail/settings.html", form=form, labels=preferences.OPTIONAL)


@role_required(Role.ADMIN)
def messages():
    status = request.args.get("status", "")
    status = status if status in STATUS_LABELS else ""
    return render_template(
        "mail/outbox.html",
        messages=delivery.latest(status or None, PAGE_SIZE),
        counts=delivery.counts(),
        status=status,
        statuses=STATUS_LABELS,
        configured=outbox.configured(),
    )


@role_required(Role.ADMIN)
def message(message_id: int):
    """One message. Its text only in development (no SMTP server): in production it may hold
    someone's one-time link, and an administrator has their own way to make one."""
    found = db.get_or_404(MailMessage, message_id)
    text = None
    if not outbox.configured():
        try:
            text = outbox.with_link(found.body_text, found)
        except ValidationError as error:
            text = f"{found.body_text}\n\n({error.message})"
    return render_template(
        "mail/message.html",
        message=found,
        text=text,
        form=ConfirmForm(),
    )


@role_required(Role.ADMIN)
def retry(message_id: int):
    found = db.get_or_404(MailMessage, message_id)
    if ConfirmForm().validate_on_submit():
        delivery.retry(found)
        flash("Brevet sendes igen.", "success")
    return redirect(url_for("mail.message", message_id=message_id))
