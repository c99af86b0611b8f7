"""Editors write news through the browser forms; nobody else reaches any editing route."""

import re
from datetime import timedelta

import feedparser
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.extensions import db
from portal.news.models import NewsItem
from portal.security import Role
from tests.conftest import csrf_token


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def editor(auth, make_user):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")


def post_form(client, url, **fields):
    data = {"csrf_token": csrf_token(client, url), "administration": "both", **fields}
    return client.post(url, data=data)


def items(app) -> list[NewsItem]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(NewsItem).order_by(NewsItem.id)))
        for item in found:
            db.session.expunge(item)
        return found


def editor_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every news/editor route that requires the editor role."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) != Role.EDITOR:
            continue
        if not rule.endpoint.startswith(("news.", "editor.")):
            continue
        url = rule.rule.replace("<int:item_id>", "1").replace("<int:shortcut_id>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url))
    return found


def test_every_editor_route_is_found(app):
    endpoints = {e for e, _, _ in editor_routes(app)}
    assert {"news.create", "news.edit", "news.unpublish", "news.manage"} <= endpoints


@pytest.mark.parametrize("role", ["anon", "staff", "contact"])
def test_no_editor_route_for_other_roles(app, client, auth, make_user, make_news, role):
    item_id = make_news("Må ikke røres")
    assert item_id == 1
    if role != "anon":
        make_user(role, email=f"{role}@example.com")
        auth.login(f"{role}@example.com")
    for endpoint, method, url in editor_routes(app):
        token = csrf_token(client, "/login" if role == "anon" else "/")
        data = {
            "csrf_token": token,
            "title": "Overtaget",
            "body": "x",
            "administration": "both",
            "publish": "Udgiv",
        }
        response = client.open(url, method=method, data=data if method == "POST" else None)
        if role == "anon":
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/login"), (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method)
            assert "Ingen adgang" in response.get_data(as_text=True)
    [item] = items(app)
    assert item.title == "Må ikke røres" and item.status == "published"


def test_editor_previews_saves_a_draft_then_publishes(app, client, editor):
    url = "/redaktion/nyheder/ny"
    page = soup(
        post_form(
            client,
            url,
            title="Nyt om grøn linie",
            body="## Overskrift\n\n*Kursiv*",
            preview="Forhåndsvis",
        )
    )
    assert page.select_one("#forhaandsvisning h2").get_text() == "Overskrift"
    assert page.select_one("#title")["value"] == "Nyt om grøn linie"
    assert items(app) == []  # a preview saves nothing
    response = post_form(client, url, title="Nyt om grøn linie", body="Tekst", save="Gem")
    [draft] = items(app)
    assert response.headers["Location"] == f"/redaktion/nyheder/{draft.id}"
    assert draft.status == "draft" and draft.slug is None
    assert client.get("/nyheder/").get_data(as_text=True).count("Nyt om grøn linie") == 0
    edit_url = f"/redaktion/nyheder/{draft.id}"
    post_form(
        client,
        edit_url,
        title="Nyt om grøn linie",
        body="Tekst",
        summary="Kort.",
        version=str(draft.version),
        publish="Udgiv",
    )
    [item] = items(app)
    assert item.status == "published" and item.slug == "nyt-om-groen-linie" and item.announced
    assert soup(client.get("/nyheder/nyt-om-groen-linie")).h1.get_text() == "Nyt om grøn linie"
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.object_type == "news")
        ).all()
    assert actions == ["create", "update", "publish"]


def test_editor_schedules_and_pins(app, client, editor):
    with app.app_context():
        from portal.timeutil import local_today

        today = local_today()
    later = (today + timedelta(days=3)).isoformat() + "T09:30"
    post_form(
        client,
        "/redaktion/nyheder/ny",
        title="Planlagt",
        body="x",
        publish="Udgiv",
        publish_at=later,
        pinned_until=(today + timedelta(days=5)).isoformat(),
    )
    [item] = items(app)
    assert item.status == "published" and not item.announced
    local = item.published_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Copenhagen"))
    assert local.strftime("%Y-%m-%dT%H:%M") == later
    assert item.pinned_until == today + timedelta(days=5)
    assert client.get(f"/nyheder/{item.slug}").status_code == 404
    assert "Planlagt til" in soup(client.get(f"/redaktion/nyheder/{item.id}")).get_text()
    assert feedparser.parse(client.get("/nyheder.atom").data).entries == []


def test_stale_edit_keeps_the_text_and_says_why(app, client, editor, make_news, get_news):
    item_id = make_news("Konflikt")
    url = f"/redaktion/nyheder/{item_id}"
    old = str(get_news(item_id).version)
    post_form(client, url, title="Første rettelse", body="a", version=old, save="Gem")
    response = post_form(
        client, url, title="Min rettelse", body="Min lange tekst", version=old, save="Gem"
    )
    assert response.status_code == 409
    page = soup(response)
    assert "ændret af en anden, siden du åbnede" in page.select_one(".error-summary").get_text()
    assert page.select_one("#body").get_text().strip() == "Min lange tekst"
    assert get_news(item_id).title == "Første rettelse"


def test_after_a_conflict_the_form_carries_the_current_version(
    app, client, editor, make_news, get_news
):
    """As in the calendar: a second save, after the editor has seen the conflict, is checked
    against the version that refused it, so it is accepted."""
    item_id = make_news("Konflikt")
    url = f"/redaktion/nyheder/{item_id}"
    old = str(get_news(item_id).version)
    post_form(client, url, title="Første rettelse", body="a", version=old, save="Gem")
    response = post_form(client, url, title="Min rettelse", body="b", version=old, save="Gem")
    assert response.status_code == 409
    current = soup(response).select_one("input[name=version]")["value"]
    assert current == str(get_news(item_id).version) != old
    response = post_form(client, url, title="Min rettelse", body="b", version=current, save="Gem")
    assert response.status_code == 302
    assert get_news(item_id).title == "Min rettelse"


def test_unpublish_by_editor(app, client, editor, make_news, get_news):
    item_id = make_news("Skal væk")
    slug = get_news(item_id).slug
    token = csrf_token(client, f"/redaktion/nyheder/{item_id}")
    client.post(f"/redaktion/nyheder/{item_id}/afpublicer", data={"csrf_token": token})
    assert get_news(item_id).status == "draft"
    assert client.get(f"/nyheder/{slug}").status_code == 404


def test_live_preview_endpoint_renders_sanitised_html(client, editor):
    """The preview is shared with page editing (``editor.preview``)."""
    token = csrf_token(client, "/redaktion/nyheder/ny")
    response = client.post(
        "/redaktion/forhaandsvisning",
        data={"csrf_token": token, "body": "**fed** <script>x()</script> [l](javascript:x)"},
    )
    html = response.get_data(as_text=True)
    assert "<strong>fed</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert client.post("/redaktion/forhaandsvisning", data={"body": "x"}).status_code == 400


def test_editor_form_has_no_inline_script(client, editor):
    page = soup(client.get("/redaktion/nyheder/ny"))
    assert not [s for s in page.find_all("script") if not s.get("src")]
    assert page.select_one("script[src*='/static/js/preview.js']")
    assert re.search(r"Forhåndsvis", page.select_one("button[name=preview]").get_text())
