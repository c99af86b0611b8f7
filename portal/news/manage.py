"""Writing news (editors): write with a server-rendered preview, save drafts, publish now or
at a chosen time, pin, mark for passing on, unpublish."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.errors import Conflict
from portal.extensions import db
from portal.news import services
from portal.news.forms import ConfirmForm, NewsForm, PreviewForm
from portal.news.models import NewsItem
from portal.news.views import bp
from portal.security import Role, role_required
from portal.text import render


def _data(form: NewsForm) -> services.NewsData:
    return services.NewsData(
        title=form.title.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        audience=form.audience.data,
        pass_on=bool(form.pass_on.data),
        pinned_until=form.pinned_until.data,
    )


def _publish_at(form: NewsForm) -> datetime | None:
    """The chosen local time as UTC, or None for "now"."""
    if form.publish_at.data is None:
        return None
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return form.publish_at.data.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def _fill(form: NewsForm, item: NewsItem) -> None:
    form.version.data = item.version
    form.title.data = item.title
    form.summary.data = item.summary
    form.body.data = item.body_source
    form.audience.data = item.audience
    form.pass_on.data = item.pass_on
    form.pinned_until.data = item.pinned_until
    if item.is_scheduled():
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        form.publish_at.data = item.published_at.astimezone(zone).replace(tzinfo=None)


def _save(item: NewsItem | None, form: NewsForm) -> NewsItem | None:
    """Create or update, then publish if asked; on refusal the form keeps the text."""
    try:
        if item is None:
            item = services.create(_data(form), current_user)
        else:
            services.update(item, _data(form), int(form.version.data or 0), current_user)
        if form.publish.data:
            services.publish(item, current_user, _publish_at(form))
    except services.NewsInvalid as error:
        db.session.rollback()
        for name, message in error.errors.items():
            getattr(form, name).errors = [message]
        form.form_errors.append(error.message)
        return None
    except Conflict as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        form.conflict = True
        return None
    db.session.commit()
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
            if saved is not None:
                if saved.is_public():
                    flash("Nyheden er udgivet." if form.publish.data else "Nyheden er gemt.",
                          "success")  # fmt: skip
                elif saved.is_scheduled():
                    flash("Nyheden er planlagt og bliver synlig på det valgte tidspunkt.",
                          "success")  # fmt: skip
                else:
                    flash("Kladden er gemt.", "success")
                return redirect(url_for("news.edit", item_id=saved.id))
            status = 409 if getattr(form, "conflict", False) else 400
    elif request.method == "POST":
        form.form_errors.append("Tjek de markerede felter.")
        status = 400
    return render_template(
        "news/edit.html", form=form, item=item, preview_html=preview_html,
        confirm=ConfirmForm(),
    ), status  # fmt: skip


@bp.get("/redaktion/nyheder/")
@role_required(Role.EDITOR)
def manage():
    return render_template("news/manage.html", items=services.all_items())


@bp.route("/redaktion/nyheder/ny", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def create():
    return _write(None)


@bp.route("/redaktion/nyheder/<int:item_id>", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def edit(item_id: int):
    return _write(services.get_item(item_id))


@bp.post("/redaktion/nyheder/<int:item_id>/afpublicer")
@role_required(Role.EDITOR)
def unpublish(item_id: int):
    item = services.get_item(item_id)
    if ConfirmForm().validate_on_submit():
        services.unpublish(item, current_user)
        db.session.commit()
        flash("Nyheden er afpubliceret og er nu en kladde.", "success")
    return redirect(url_for("news.edit", item_id=item.id))


@bp.post("/redaktion/nyheder/forhaandsvisning")
@role_required(Role.EDITOR)
def preview():
    """The body's Markdown as the page will show it (sanitised HTML), for the live preview."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    return Response(render(form.body.data or "").html, mimetype="text/html")
