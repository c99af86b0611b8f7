"""The base layout, error pages, security headers, limits and health checks."""

import pytest
from bs4 import BeautifulSoup

from portal.config import MIN_SECRET_LENGTH
from portal.extensions import db
from tests.conftest import make_test_app


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_base_page_is_danish_with_skip_link_navigation_and_footer(client):
    page = soup(client.get("/"))
    assert page.html["lang"] == "da"
    skip = page.select_one("a.skip-link")
    assert skip["href"] == "#indhold" and page.find(id="indhold").name == "main"
    assert page.select_one("header").get_text().count("BIF-SOF Portalen") >= 1
    assert page.select_one("nav[aria-label=Hovedmenu]") is not None
    footer_link = page.select_one("footer a[href='/tilgaengelighed']")
    assert footer_link.get_text() == "Tilgængelighedserklæring"
    assert "Log ind" in page.select_one("header").get_text()
    # Only the project's own assets: no CDN, no external fonts or scripts.
    for tag in page.select("link[href], script[src], img[src]"):
        assert (tag.get("href") or tag.get("src")).startswith("/static/")


def test_accessibility_statement_page(client):
    page = soup(client.get("/tilgaengelighed"))
    assert page.h1.get_text() == "Tilgængelighedserklæring"
    assert "WCAG 2.1" in page.get_text()


def test_logged_in_header_shows_name_and_a_post_logout(client, auth, make_user):
    make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")
    header = soup(client.get("/")).select_one("header")
    assert "Rita Redaktør" in header.get_text() and "Redaktør" in header.get_text()
    form = header.select_one("form[action='/logout']")
    assert form["method"] == "post" and form.select_one("input[name=csrf_token]")["value"]


@pytest.fixture
def failing_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/fejl")
    def broken():
        raise RuntimeError("hemmelig intern detalje")

    return app


@pytest.mark.parametrize(
    "method, path, status, title",
    [
        ("get", "/findes-ikke", 404, "Siden findes ikke"),
        ("post", "/login", 400, "Forkert forespørgsel"),
        ("get", "/_test/fejl", 500, "Der opstod en fejl"),
    ],
)
def test_error_pages_are_danish_without_traceback(failing_app, method, path, status, title):
    response = getattr(failing_app.test_client(), method)(path)
    assert response.status_code == status
    page = soup(response)
    assert page.h1.get_text() == title and page.html["lang"] == "da"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "hemmelig intern detalje" not in text


def test_too_large_request_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert soup(response).h1.get_text() == "For stor forespørgsel"


def test_security_headers_on_every_response(client):
    for path in ["/", "/findes-ikke", "/static/css/portal.css", "/healthz"]:
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://portal.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_inline_script_or_style_in_pages(client):
    page = soup(client.get("/login"))
    assert not [s for s in page.find_all("script") if not s.get("src")]
    assert not page.find_all("style") and not page.select("[style]")
    assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]


def test_health_checks_answer_json(app, client):
    from portal.search import rebuild
    from portal.search.engine import configured

    with app.app_context():
        rebuild()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {
        "database": "ok",
        "search": "ok",
        "search_engine": configured(app.config),
        "search_current": True,
        "search_pending": 0,
        "status": "ok",
    }


def test_readyz_reports_an_unreachable_database(tmp_path):
    app = make_test_app(f"sqlite:///{tmp_path}/mangler/ikke-her.sqlite3", tmp_path)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_health_checks_skip_login_when_reading_needs_login(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, PUBLIC_READ=False)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/tilgaengelighed").status_code == 200
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_proxy_fix_trusts_the_configured_proxy(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, PROXY_FIX=1)
    response = app.test_client().get(
        "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}
    )
    assert "Strict-Transport-Security" in response.headers


def test_a_forwarded_prefix_from_a_client_changes_no_link_and_no_cached_page(
    database_url, tmp_path
):
    """The proxy passes on what a client sends unless it overwrites it (the README's nginx
    block sets Host, For and Proto): a prefix the portal trusted went into every link of a page
    that the anonymous page cache then served to everyone."""
    app = make_test_app(database_url, tmp_path, PROXY_FIX=1)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    poisoned = client.get("/tilgaengelighed", headers={"X-Forwarded-Prefix": "//evil.example"})
    assert poisoned.status_code == 200
    assert "evil.example" not in poisoned.get_data(as_text=True)
    assert "evil.example" not in client.get("/tilgaengelighed").get_data(as_text=True)
    login = client.get("/redaktion", headers={"X-Forwarded-Prefix": "//evil.example"})
    assert "evil.example" not in login.headers.get("Location", "")


def test_weak_secret_constant_is_long_enough():
    assert MIN_SECRET_LENGTH >= 32


def test_logged_in_pages_are_never_stored_and_public_pages_may_be(client, auth, make_user):
    assert "no-store" not in client.get("/tilgaengelighed").headers.get("Cache-Control", "")
    user = make_user("editor")
    auth.login(user.email)
    for path in ["/", "/tilgaengelighed", "/redaktion", "/kontaktpersoner.csv"]:
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_an_invitation_opens_when_reading_needs_login(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, PUBLIC_READ=False)
    response = app.test_client().get("/invitation/ikke-et-gyldigt-link")
    assert response.status_code == 400  # the invitation page itself: the link is not valid
    assert "login" not in response.headers.get("Location", "")


def test_absolute_links_use_the_base_url_and_other_hosts_are_refused(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, BASE_URL="https://portal.example.dk")
    with app.app_context():
        db.create_all()
    client = app.test_client()
    feed = client.get("/nyheder.atom", base_url="http://portal.example.dk")  # behind a proxy
    assert feed.status_code == 200
    assert 'href="https://portal.example.dk/nyheder/"' in feed.get_data(as_text=True)
    evil = client.get("/nyheder.atom", headers={"Host": "evil.example"})
    assert evil.status_code == 400
