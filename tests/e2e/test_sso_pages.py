"""Log ind med kommunens konto in a real browser: the login page offers it first, the
provider signs the person in and sends the browser back, and a refusal is a Danish page;
axe finds nothing on either."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal.extensions import db
from tests.conftest import make_test_app
from tests.e2e.conftest import check_axe
from tests.sso.provider import Provider


@pytest.fixture
def sso_server(tmp_path):
    provider = Provider()
    provider.start()
    app = make_test_app(
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        Path(tmp_path),
        **provider.config(SSO_GROUP_ROLES="bif-sof-redaktion=editor"),
    )
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    provider.redirect_uris = [f"{url}/login/kommune/svar"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, provider
    server.shutdown()
    thread.join(timeout=10)
    provider.stop()


def test_sso_login_and_refusal_in_a_browser(browser, sso_server):
    url, provider = sso_server
    context = browser.new_context(base_url=url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)

    provider.user = {"sub": "x1", "email": "ulla@kk.example", "name": "Ulla", "groups": []}
    page.goto("/login")
    check_axe(page)
    page.get_by_role("link", name="Log ind med kommunens konto").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Du kan ikke logge ind")).to_be_visible()
    check_axe(page)

    provider.user = {**provider.user, "groups": ["bif-sof-redaktion"]}
    page.goto("/login")
    page.get_by_role("link", name="Log ind med kommunens konto").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Du er logget ind som Ulla.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav.get_by_role("link", name="Redaktion")).to_be_visible()  # the role from the group

    # Logging out also ends the provider's session: the logout form's answer leads there
    # (the portal's CSP lets a form lead to the provider) and the provider sends the browser back.
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()
    assert len(provider.logged_out) == 1
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    assert page.url.startswith(url)
    context.close()
