"""HTTP caching (issue 17): anonymous reading is revalidated with a weak ETag and answered 304
when unchanged; logged-in pages are never stored; static files carry their hash and are
cached for a year under it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal import search
from portal.caching import IMMUTABLE, Fingerprints
from portal.extensions import db
from portal.kb.models import Page
from portal.kb.sync import sync_content

REVALIDATED = [
    "/vejviser/groen-linie",
    "/sagsgange/samarbejdsmodellen",
    "/aendringer.atom",
    "/nyheder.atom",
    "/kalender.ics",
    "/api/search?q=handleplan",
    "/api/search?q=hvem+skal+jeg+ringe+til+i+SOF",
    "/api/suggest?q=hand",
]


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()
        search.rebuild()


@pytest.mark.parametrize("path", REVALIDATED)
def test_unchanged_answer_is_304_without_body(client, content, make_news, path):
    make_news("En nyhed i feedet")  # an empty feed says "updated: now", new every second
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"  # kept, but asked again each time
    assert "Cookie" in first.headers["Vary"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    other = client.get(path, headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200
    assert other.get_data() == first.get_data()


def test_a_changed_page_is_sent_again(app, client, content):
    path = "/vejviser/groen-linie"
    etag = client.get(path).headers["ETag"]
    with app.app_context():
        page = db.session.scalars(sa.select(Page).where(Page.slug == "groen-linie")).one()
        page.title = "Grøn linje med en ny titel"
        db.session.commit()
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Grøn linje med en ny titel" in response.get_data(as_text=True)
    assert response.headers["ETag"] != etag


def test_logged_in_pages_are_not_stored_and_never_304(client, content, auth, make_user):
    path = "/vejviser/groen-linie"
    etag = client.get(path).headers["ETag"]
    auth.login(make_user("staff").email)
    for path in REVALIDATED:
        response = client.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers, path


def test_an_answer_that_sets_a_cookie_is_not_marked_cacheable(app, client, content):
    """E.g. a flashed message taken from the session: that answer is for this browser only."""

    @app.after_request
    def set_cookie(response):
        response.set_cookie("probe", "1")
        return response

    response = client.get("/vejviser/groen-linie")
    assert "ETag" not in response.headers
    assert response.headers.get("Cache-Control") != "no-cache"


def test_other_pages_are_not_revalidated(client, content):
    """Only the listed reading is: a form page or the front page answers in full each time."""
    for path in ["/", "/login", "/kontaktpersoner/"]:
        assert "ETag" not in client.get(path).headers, path


def test_static_links_carry_the_hash_and_are_cached_for_a_year(client):
    html = client.get("/tilgaengelighed").get_data(as_text=True)
    links = re.findall(r'(/static/[^"?]+)\?v=([0-9a-f]{12})"', html)
    assert {path for path, _ in links} >= {"/static/css/portal.css", "/static/js/suggest.js"}
    for path, digest in links:
        response = client.get(f"{path}?v={digest}")
        response.close()
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        # An old or made-up hash (a page from before a release), or none: revalidated.
        for stale in (client.get(f"{path}?v=000000000000"), client.get(path)):
            stale.close()
            assert stale.status_code == 200
            assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_hash(tmp_path):
    (tmp_path / "css").mkdir()
    style = tmp_path / "css" / "a.css"
    style.write_text("body { color: black; }")
    fingerprints = Fingerprints(str(tmp_path))
    before = fingerprints.of("css/a.css")
    style.write_text("body { color: navy; }  ")
    assert fingerprints.of("css/a.css") != before
    assert fingerprints.of("../../etc/passwd") is None
    assert fingerprints.of("css/missing.css") is None
