"""Browser tests: Playwright drives Debian's Chromium against the app served on a free
localhost port, with demo data from ``portal setup --demo``; axe checks WCAG 2.1 A/AA."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_test_app

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


ERROR_STATUSES = [400, 403, 404, 413, 429, 500]


def add_error_routes(app) -> None:
    """``/_test/fejl/<status>`` renders that error page, so axe can check each one."""
    from flask import abort

    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/fejl/<int:status>")
    def error_page(status: int):
        if status == 500:
            raise RuntimeError("en intern fejl, som brugeren ikke må se")
        abort(status)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal with demo data, served by a real HTTP server in a thread."""
    tmp = tmp_path_factory.mktemp("live")
    app = make_test_app(f"sqlite:///{tmp / 'portal.sqlite3'}", Path(tmp))
    result = app.test_cli_runner().invoke(args=["portal", "setup", "--demo"])
    assert result.exit_code == 0, result.output
    add_error_routes(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        reason = f"Chromium findes ikke på {CHROMIUM}: installér Debian-pakken 'chromium'"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it: a missing browser there is a failure
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_axe(page) -> None:
    """Fail with axe's report on any WCAG 2.1 A/AA violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
