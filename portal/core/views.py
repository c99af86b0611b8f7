"""The front page, the accessibility statement and the health checks."""

import importlib

import sqlalchemy as sa
from flask import Blueprint, Flask, jsonify, render_template
from flask_login import current_user

from portal.contacts import services as contacts
from portal.editor import services as editor
from portal.extensions import db, limiter
from portal.news import services as news
from portal.security import Role, has_role
from portal.templating import has_endpoint

bp = Blueprint("core", __name__)
UPCOMING_ON_FRONT_PAGE = 4


def calendar_upcoming():
    """The calendar feature's upcoming-occurrences function, or None while it is not there.
    (Hook: the calendar is built in parallel; its reading functions may live in ``services``
    or ``listing``.)"""
    if not has_endpoint("calendar.index"):
        return None
    for module in ("services", "listing"):
        try:
            found = importlib.import_module(f"portal.calendar.{module}")
        except ImportError:
            continue
        if callable(getattr(found, "upcoming", None)):
            return found.upcoming
    return None


def _upcoming_meetings() -> list | None:
    """The next meetings, or None when there is no calendar to ask."""
    upcoming = calendar_upcoming()
    if upcoming is None:
        return None
    return [o for o in upcoming() if not o.is_cancelled][:UPCOMING_ON_FRONT_PAGE]


def _for_contact_person() -> dict:
    if not has_role(current_user, Role.CONTACT):
        return {}
    profile = contacts.profile_of(current_user)
    pass_on = [item for item, done in news.to_pass_on(current_user) if not done]
    return {
        "profile": profile,
        "profile_stale": profile is not None and contacts.is_stale(profile),
        "pass_on": pass_on,
    }


@bp.get("/")
def index():
    """Search first, then pinned and latest news, the next meetings, shortcuts, and what a
    contact person or an editor should look at."""
    pinned, latest = news.front_page()
    shortcuts, chosen = editor.front_shortcuts()
    return render_template(
        "core/index.html",
        pinned=pinned,
        latest=latest,
        meetings=_upcoming_meetings(),
        shortcuts=shortcuts,
        shortcuts_chosen=chosen,
        contact=_for_contact_person(),
        drafts=news.drafts() if has_role(current_user, Role.EDITOR) else [],
    )


@bp.get("/tilgaengelighed")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
