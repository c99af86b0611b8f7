"""The front page, the accessibility statement and the health checks."""

from flask import current_app, jsonify, render_template
from flask_login import current_user

from portal import signals
from portal.contacts import profiles as contacts
from portal.core import health
from portal.editor import services as editor
from portal.extensions import db, limiter
from portal.news import reading as news
from portal.search import engine, indexing
from portal.security import Role, has_role


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


def _contributed() -> dict:
    """What other features add to the front page (the calendar: its next meetings)."""
    values: dict = {"meetings": None}
    for contribution in signals.collect(signals.front_page):
        values.update(contribution)
    return values


def index():
    """Search first, then pinned and latest news, the next meetings, shortcuts, and what a
    contact person or an editor should look at."""
    pinned, latest = news.front_page()
    shortcuts, chosen = editor.front_shortcuts()
    return render_template(
        "core/index.html",
        **_contributed(),
        pinned=pinned,
        latest=latest,
        shortcuts=shortcuts,
        shortcuts_chosen=chosen,
        contact=_for_contact_person(),
        drafts=news.drafts() if has_role(current_user, Role.EDITOR) else [],
    )


def accessibility():
    return render_template("core/accessibility.html")


@limiter.exempt
def healthz():
    return jsonify({"status": "ok"})


@limiter.exempt
def readyz():
    """Ready for traffic: the database answers (within 2 s) and the search index can be read
    (one that cannot is rebuilt, in a thread); also says which search engine serves."""
    state = health.database(db.engine)
    body: dict = {"status": "ok", "database": state, "search_engine": engine.current().name}
    if state != "ok":
        body["status"] = "unavailable"
        return jsonify(body), 503
    readable = indexing.is_readable()
    if not readable:  # start the rebuild a search would: no search reaches an unready server
        indexing.rebuild_soon(current_app._get_current_object())  # type: ignore[attr-defined]
        readable = indexing.is_readable()  # at once in tests; a moment later in a server
    body["search"] = "ok" if readable else "unavailable"
    if body["search"] != "ok":
        body["status"] = "unavailable"
        return jsonify(body), 503
    # Changes this server's index has not applied yet (another server's, or a locked index):
    # ready anyway, since searches catch up first, but worth a look when it stays above 0.
    waiting = indexing.pending()
    body["search_current"] = waiting == 0 and not indexing.forgotten()
    body["search_pending"] = waiting
    return jsonify(body)
