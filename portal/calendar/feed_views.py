"""Personal calendar feeds: the page with the person's secret addresses for Outlook and the
button that makes new ones, and the feeds themselves, which open without a login (the token
is the login, see ``security.ALWAYS_OPEN``)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.calendar import formatting, ics, listing, subscriptions
from portal.calendar.views import chosen_filters, filter_values
from portal.forms import ConfirmForm

MINE_NAME = "BIF-SOF Portalen: mine møder"


@login_required
def subscription():
    token = subscriptions.token_of(current_user)
    return render_template(
        "calendar/subscription.html",
        all_url=token and url_for("calendar.token_feed", token=token, _external=True),
        mine_url=token and url_for("calendar.token_mine", token=token, _external=True),
        form=ConfirmForm(),
    )


@login_required
def renew():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    had_one = subscriptions.token_of(current_user) is not None
    subscriptions.renew(current_user)
    if had_one:
        flash("Der er lavet nye links. De gamle virker ikke længere.", "success")
    else:
        flash("Dine links er lavet.", "success")
    return redirect(url_for("calendar.subscription"), 303)


def _private_ics(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",  # the address is the key: no shared caches
            "X-Robots-Tag": "noindex",
        },
    )


def _owner(token: str):
    user = subscriptions.owner(token)
    if user is None:
        abort(404)
    return user


def token_feed(token: str):
    """Every meeting, as ``/kalender.ics`` (with its filters), for the token's owner."""
    _owner(token)
    kind, administration = filter_values(chosen_filters())
    events = ics.feed_events(listing.matching(kind, administration))
    name = ics.feed_name(kind, administration)
    body = ics.calendar(events, formatting.absolute_link, name)
    return _private_ics(body, "bif-sof-kalender.ics")


def token_mine(token: str):
    """The meetings the token's owner has a seat at."""
    user = _owner(token)
    chosen = subscriptions.registered_occurrences(user)
    body = ics.personal(chosen, formatting.absolute_link, MINE_NAME)
    return _private_ics(body, "mine-moeder.ics")
