"""Writing news (editors): write with a server-rendered preview, save drafts, publish now or
at a chosen time, pin, mark for passing on, unpublish."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.errors import Conflict, FieldErrors
from portal.forms import ConfirmForm, show_refusal
from portal.news import reading, services
from portal.news.forms import NewsForm
from portal.news.models import NewsItem
from portal.security import Role, role_required
from portal.text import render
from portal.timeutil import from_local, local


def _data(form: NewsForm) -> services.NewsData:
    return services.NewsData(
        title=form.title.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        administration=form.administration.data,
        pass_on=bool(form.pass_on.data),
        pinned_until=form.pinned_until.data,
    )


def _publish_at(form: NewsForm) -> datetime | None:
    """The chosen local time as UTC, or None for "now"."""
    if form.publish_at.data is None:
        return None
    return from_local(form.publish_at.data)


def _fill(form: NewsForm, item: NewsItem) -> None:
    form.version.data = item.version
    form.title.data = item.title
    form.summary.data = item.summary
    form.body.data = item.body_source
    form.administration.data = item.administration
    form.pass_on.data = item.pass_on
    form.pinned_until.data = item.pinned_until
    if item.is_scheduled() and item.published_at is not None:
        form.publish_at.data = local(item.published_at).replace(tzinfo=None)


def _save(item: NewsItem | None, form: NewsForm) -> NewsItem | int:
    """Create or update, then publish if asked. On refusal the form keeps the text and says
    why, and the status to answer with is returned instead; after a conflict the form carries
    the version that is now current, so a second save is checked against what the editor has
    seen."""
    try:
        if item is None:
            item = services.create(_data(form), current_user)
        else:
            services.update(item, _data(form), form.expected_version(), current_user)
        if form.publish.data:
            services.publish(item, current_user, _publish_at(form))
    except (FieldErrors, Conflict) as error:
        status = show_refusal(form, error)
        if isinstance(error, Conflict) and item is not None:
            form.version.data = item.version  # read again: the refusal rolled back
        return status
    return item


def _write(item: NewsItem | None):
    form = NewsForm()
    if request.method == "GET" and item is not None:
        _fill(form, item)
    preview_html, status = None, 200
    if form.validate_on_submit():
        if form.preview.data:
            preview_html = render(form.body.data or "").html
        else:
            saved = _save(item, form)
            if isinstance(saved, int):
                status = saved
            else:
                if saved.is_public():
                    flash(
                        "Nyheden er udgivet." if form.publish.data else "Nyheden er gemt.",
                        "success",
                    )
                elif saved.is_scheduled():
                    flash(
                        "Nyheden er planlagt og bliver synlig på det valgte tidspunkt.", "success"
                    )
                else:
                    flash("Kladden er gemt.", "success")
                return redirect(url_for("news.edit", item_id=saved.id))
    elif request.method == "POST":
        form.form_errors.append("Tjek de markerede felter.")
        status = 400
    return render_template(
        "news/edit.html",
        form=form,
        item=item,
        preview_html=preview_html,
        confirm=ConfirmForm(),
    ), status


@role_required(Role.EDITOR)
def manage():
    return render_template("news/manage.html", items=reading.all_items())


@role_required(Role.EDITOR)
def create():
    return _write(None)


@role_required(Role.EDITOR)
def edit(item_id: int):
    return _write(reading.get_item(item_id))


@role_required(Role.EDITOR)
def unpublish(item_id: int):
    item = reading.get_item(item_id)
    if ConfirmForm().validate_on_submit():
        services.unpublish(item, current_user)
        flash("Nyheden er afpubliceret og er nu en kladde.", "success")
    return redirect(url_for("news.edit", item_id=item.id))
