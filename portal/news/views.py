"""Nyheder: the public list, items and feed; contact persons' list of news to pass on."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import search
from portal.cli import register_setup_step
from portal.extensions import db
from portal.news import demo, services
from portal.news import feed as atom_feed
from portal.news import search as news_search
from portal.news.forms import ConfirmForm
from portal.security import Role, role_required

log = logging.getLogger(__name__)
bp = Blueprint("news", __name__)

AUDIENCE_FILTERS = {"BIF": "BIF", "SOF": "SOF"}
QUIET_ENDPOINTS = {"static", "core.healthz", "core.readyz"}


@bp.before_app_request
def announce_scheduled_news():
    """Scheduled items become visible by time alone; tell the search index when they do."""
    if request.endpoint in QUIET_ENDPOINTS:
        return
    try:
        if services.announce_due():
            db.session.commit()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        log.warning("Could not announce scheduled news", exc_info=True)


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


@bp.get("/nyheder/")
def index():
    chosen = request.args.get("forvaltning")
    audience = chosen if chosen in AUDIENCE_FILTERS else None
    page = services.public_items(audience, _page_number(request.args.get("side")))
    return render_template(
        "news/index.html", result=page, chosen=audience, filters=AUDIENCE_FILTERS
    )


@bp.get("/nyheder/<slug>")
def item(slug: str):
    return render_template("news/item.html", item=services.get_public(slug))


@bp.get("/nyheder.atom")
def feed():
    body = atom_feed.atom(services.latest(limit=30))
    return Response(body, mimetype="application/atom+xml")


@bp.get("/nyheder/videreformidling")
@role_required(Role.CONTACT)
def pass_on():
    return render_template(
        "news/pass_on.html", rows=services.to_pass_on(current_user), form=ConfirmForm()
    )


@bp.post("/nyheder/<int:item_id>/videreformidlet")
@role_required(Role.CONTACT)
def passed_on(item_id: int):
    item = services.get_item(item_id)
    if ConfirmForm().validate_on_submit():
        services.mark_passed_on(item, current_user)
        db.session.commit()
        flash(f"«{item.title}» er markeret som videreformidlet.", "success")
    return redirect(url_for("news.pass_on"))


def init_app(app: Flask) -> None:
    from portal.news import manage  # noqa: F401 (the editors' routes on the same blueprint)

    app.register_blueprint(bp)
    search.register_source(news_search.SOURCE)
    register_setup_step(app, "Nyheder (demo)", demo.create, order=60, demo_only=True)
