"""Redaktion: the editors' overview of what needs attention, and the front page shortcuts."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.contacts import lists as contact_lists
from portal.contacts import profiles as contacts
from portal.editor import services
from portal.editor.forms import PreviewForm, ShortcutForm
from portal.errors import FieldErrors
from portal.forms import ConfirmForm, show_refusal
from portal.kb.sync import current_glossary
from portal.mail import delivery as mail
from portal.news import reading as news
from portal.search import querylog
from portal.security import Role, role_required
from portal.text import render


@role_required(Role.EDITOR)
def index():
    return render_template(
        "editor/index.html",
        drafts=news.drafts(),
        scheduled=news.scheduled(),
        overdue=services.overdue_pages(current_user.name),
        review_days=current_app.config["REVIEW_AFTER_DAYS"],
        stale=contacts.stale_profiles(),
        stale_days=current_app.config["PROFILE_STALE_DAYS"],
        team_proposals=contact_lists.pending_teams(),
        searches=querylog.stats(),
        mail_failures=mail.failures(),
    )


@role_required(Role.EDITOR)
def shortcuts():
    form = ShortcutForm()
    form.offer(services.page_choices())
    status = 200
    if form.validate_on_submit():
        try:
            services.add_shortcut(form.page.data, current_user)
        except FieldErrors as error:
            status = show_refusal(form, error)
        else:
            flash("Genvejen er tilføjet forsiden.", "success")
            return redirect(url_for("editor.shortcuts"))
    elif request.method == "POST":
        form.page.errors = ["Vælg en vejviser eller sagsgang på listen."]
        status = 400
    chosen = services.shortcuts()
    return render_template(
        "editor/shortcuts.html",
        form=form,
        chosen=chosen,
        fallback=[] if chosen else services.most_visited(),
        confirm=ConfirmForm(),
    ), status


@role_required(Role.EDITOR)
def remove_shortcut(shortcut_id: int):
    if ConfirmForm().validate_on_submit():
        services.remove_shortcut(shortcut_id, current_user)
        flash("Genvejen er fjernet.", "success")
    return redirect(url_for("editor.shortcuts"))


@role_required(Role.EDITOR)
def preview():
    """Markdown as the page or news item will show it (sanitised HTML), for the live preview."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    glossary = current_glossary() if form.glossary.data == "1" else None
    return Response(render(form.body.data or "", glossary).html, mimetype="text/html")
