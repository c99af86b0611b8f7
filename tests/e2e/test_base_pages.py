"""The base layout, login and error pages in a real browser, with axe."""

import pytest
from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import ERROR_STATUSES, check_axe, log_in

EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")


@pytest.mark.parametrize("path", ["/", "/login", "/tilgaengelighed"])
def test_pages_have_no_axe_violations(page, path):
    page.goto(path)
    check_axe(page)


@pytest.mark.parametrize("status", ERROR_STATUSES)
def test_error_pages_have_no_axe_violations(page, status):
    response = page.goto(f"/_test/fejl/{status}")
    assert response.status == status
    expect(page.get_by_text(f"Fejl {status}")).to_be_visible()
    assert "intern fejl" not in page.content()
    check_axe(page)


def test_login_form_with_errors_has_no_axe_violations(page):
    page.goto("/login")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_text("Skriv din e-mailadresse.")).to_be_visible()
    check_axe(page)


def test_demo_editor_logs_in_and_out(page):
    email, name, _, password = EDITOR
    log_in(page, email, password)
    expect(page.get_by_text(f"Du er logget ind som {name}.")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()


def test_skip_link_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Spring til indhold")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#indhold"


def test_layout_reads_on_a_phone_and_hides_navigation_in_print(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/tilgaengelighed")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width}px)"
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
