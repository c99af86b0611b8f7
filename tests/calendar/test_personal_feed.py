"""Personal calendar feeds: a secret address per person that Outlook can read without a login
when the portal needs one, "mine møder" as its own feed, a new link revokes the old, a
deactivated person's link stops, and the page and its POST are for the logged-in user only."""

from __future__ import annotations

import re

import icalendar
import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.auth import services as auth_services
from portal.auth.models import User
from portal.calendar import loading, registrations
from portal.calendar.models import FeedToken
from portal.extensions import db
from portal.transaction import transaction
from tests.conftest import csrf_token

LINK_RE = re.compile(r'href="(http://[^"]+/kalender/([A-Za-z0-9_-]{43})(\.ics|/mine\.ics))"')


@pytest.fixture
def app_config():
    return {"PUBLIC_READ": False}


def links(client) -> dict[str, str]:
    """The addresses on the person's subscription page: {"all": path, "mine": path}."""
    html = client.get("/kalender/abonnement").get_data(as_text=True)
    found = {}
    for url, _, suffix in LINK_RE.findall(html):
        path = url.split("localhost", 1)[1]
        found["mine" if suffix == "/mine.ics" else "all"] = path
    return found


def make_links(client) -> dict[str, str]:
    token = csrf_token(client, "/kalender/abonnement")
    response = client.post("/kalender/abonnement/nyt-link", data={"csrf_token": token})
    assert response.status_code == 303
    return links(client)


def summaries(client, path) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "private" in response.headers["Cache-Control"]
    cal = icalendar.Calendar.from_ical(response.data)
    return sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))


def register(app, event_id, user) -> None:
    with app.app_context(), transaction():
        registrations.register(
            loading.get_occurrence(event_id, None), db.session.get(User, user.id), "SOF"
        )


@pytest.fixture
def meetings(app, make_event, make_user):
    anna = make_user(email="anna@example.com")
    bo = make_user(email="bo@example.com")
    ids = {
        title: make_event(title=title)
        for title in ("Annas møde", "Bos møde", "Ingens møde", "Begges møde")
    }
    register(app, ids["Annas møde"], anna)
    register(app, ids["Bos møde"], bo)
    register(app, ids["Begges møde"], anna)
    register(app, ids["Begges møde"], bo)
    return anna, bo, ids


def test_personal_feeds_open_without_a_login_when_the_portal_needs_one(app, client, auth, meetings):
    anna, _, _ = meetings
    assert client.get("/kalender.ics").status_code == 302  # the public feed needs a login
    auth.login("anna@example.com")
    assert links(client) == {}  # none until asked for: a GET never writes
    paths = make_links(client)
    assert set(paths) == {"all", "mine"}
    auth.logout()

    assert summaries(client, paths["all"]) == [
        "Annas møde",
        "Begges møde",
        "Bos møde",
        "Ingens møde",
    ]
    assert summaries(client, paths["mine"]) == ["Annas møde", "Begges møde"]
    with app.app_context():
        row = db.session.get(FeedToken, anna.id)
        token = paths["all"].split("/")[2].removesuffix(".ics")
        assert token not in (row.token_hash, row.nonce)  # only a hash is stored
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.object_type == "calendar_feed")
        ).all()
        assert actions == ["create"]


def test_each_persons_mine_feed_shows_only_their_meetings_and_follows_unregistering(
    app, client, auth, meetings
):
    auth.login("anna@example.com")
    anna_paths = make_links(client)
    auth.logout()
    auth.login("bo@example.com")
    bo_paths = make_links(client)
    auth.logout()
    assert anna_paths["mine"] != bo_paths["mine"]
    assert summaries(client, bo_paths["mine"]) == ["Begges møde", "Bos møde"]

    _, bo, ids = meetings
    with app.app_context(), transaction():
        registrations.unregister(
            loading.get_occurrence(ids["Bos møde"], None), db.session.get(User, bo.id)
        )
    assert summaries(client, bo_paths["mine"]) == ["Begges møde"]


def test_a_new_link_revokes_the_old_one(app, client, auth, meetings):
    auth.login("anna@example.com")
    old = make_links(client)
    new = make_links(client)
    assert new["all"] != old["all"] and new["mine"] != old["mine"]
    assert client.get(old["all"]).status_code == 404
    assert client.get(old["mine"]).status_code == 404
    assert client.get(new["mine"]).status_code == 200
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.object_type == "calendar_feed")
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["create", "revoke", "create"]


def test_a_deactivated_persons_link_stops_working(app, client, auth, meetings):
    anna, _, _ = meetings
    auth.login("anna@example.com")
    paths = make_links(client)
    auth.logout()
    with app.app_context(), transaction():
        auth_services.deactivate_user(db.session.get(User, anna.id))
    assert client.get(paths["all"]).status_code == 404
    assert client.get(paths["mine"]).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/kalender/" + "A" * 43 + ".ics",  # well formed, nobody's
        "/kalender/" + "A" * 43 + "/mine.ics",
        "/kalender/kort.ics",  # malformed
        "/kalender/%27%3B--/mine.ics",
    ],
)
def test_an_unknown_token_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_the_page_and_the_new_link_need_a_login_and_the_csrf_token(app, client, auth, meetings):
    assert client.get("/kalender/abonnement").status_code == 302
    token = csrf_token(client, "/login")
    response = client.post("/kalender/abonnement/nyt-link", data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalars(sa.select(FeedToken)).all() == []
    auth.login("anna@example.com")
    paths = make_links(client)
    assert client.post("/kalender/abonnement/nyt-link").status_code == 400  # no CSRF token
    assert links(client) == paths  # the links still work
    assert client.get(paths["mine"]).status_code == 200


def test_the_subscription_page_is_linked_from_the_calendar(client, auth, meetings):
    auth.login("anna@example.com")
    assert 'href="/kalender/abonnement"' in client.get("/kalender/").get_data(as_text=True)
