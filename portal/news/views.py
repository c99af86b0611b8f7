"""Nyheder: the public list, items and feed; contact persons' list of news to pass on."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.administration import FILTERS, chosen_filter
from portal.forms import ConfirmForm
from portal.news import feed as atom_feed
from portal.news import reading, services
from portal.security import Role, role_required


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 10_000 else 1


def index():
    chosen = request.args.get("forvaltning")
    administration = chosen_filter(chosen)
    page = reading.public_items(administration, _page_number(request.args.get("side")))
    return render_template("news/index.html", result=page, chosen=administration, filters=FILTERS)


def item(slug: str):
    return render_template("news/item.html", item=reading.get_public(slug))


def feed():
    body = atom_feed.atom(reading.latest(limit=30))
    return Response(body, mimetype="application/atom+xml")


@role_required(Role.CONTACT)
def pass_on():
    return render_template(
        "news/pass_on.html", rows=reading.to_pass_on(current_user), form=ConfirmForm()
    )


@role_required(Role.CONTACT)
def passed_on(item_id: int):
    item = reading.get_item(item_id)
    if ConfirmForm().validate_on_submit():
        services.mark_passed_on(item, current_user)
        flash(f"«{item.title}» er markeret som videreformidlet.", "success")
    return redirect(url_for("news.pass_on"))
