"""The calendar in a real browser: register for a meeting, see the seat count change, cancel;
axe on the list, the month grid, a meeting and the editor's form with errors."""

import re

import pytest
from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

STAFF = next(u for u in DEMO_USERS if u[2] == "staff")
EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")


def first_network_meeting(page) -> str:
    """The address of the next network meeting in the demo data."""
    page.goto("/kalender/?type=netvaerksmoede")
    link = page.locator(".event-item h3 a").first
    return link.get_attribute("href")


def seat_count(page) -> str:
    return " ".join(page.locator("#pladser").inner_text().split())


def test_register_see_the_seats_change_and_cancel(page):
    email, _, _, password = STAFF
    log_in(page, email, password)
    url = first_network_meeting(page)
    page.goto(url)
    before = seat_count(page)
    taken, capacity = map(int, re.match(r"(\d+) af (\d+)", before).groups())
    page.get_by_label("Din forvaltning").select_option("BIF")
    page.get_by_label("Din enhed eller dit team (valgfrit)").fill("Jobcenter København")
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Du er tilmeldt.").first).to_be_visible()
    assert seat_count(page).startswith(f"{taken + 1} af {capacity} pladser er optaget")
    check_axe(page)
    page.get_by_role("button", name="Afmeld").click()
    expect(page.get_by_text("Du er afmeldt.")).to_be_visible()
    assert seat_count(page) == before
    expect(page.get_by_role("button", name="Tilmeld")).to_be_visible()


def test_anonymous_is_asked_to_log_in_to_register(page):
    page.goto(first_network_meeting(page))
    page.get_by_role("link", name="Log ind for at tilmelde dig").click()
    assert "/login" in page.url


def test_filters_stay_in_the_url(page):
    page.goto("/kalender/")
    page.get_by_label("Mødetype").select_option("gaa-hjem-moede")
    page.get_by_label("For", exact=True).select_option("SOF")
    page.get_by_role("button", name="Vis", exact=True).click()
    assert page.url.endswith("/kalender/?type=gaa-hjem-moede&forvaltning=SOF")
    titles = page.locator(".event-item h3").all_inner_texts()
    assert titles and all("gå-hjem-møde" in t for t in titles)
    page.get_by_role("link", name="Månedsoversigt").click()
    assert "type=gaa-hjem-moede" in page.url and "forvaltning=SOF" in page.url


@pytest.mark.parametrize("view", ["list", "past", "month", "series", "occurrence", "cancelled"])
def test_calendar_pages_have_no_axe_violations(page, view):
    if view == "list":
        page.goto("/kalender/")
    elif view == "past":
        page.goto("/kalender/tidligere")
    elif view == "month":
        page.goto(first_network_meeting(page))
        page.get_by_role("link", name="Kalender").last.click()
        page.get_by_role("link", name="Månedsoversigt").click()
        page.get_by_role("link", name=re.compile("›$")).click()  # the next month
        expect(page.locator("table.month-grid")).to_be_visible()
    elif view == "series":
        page.goto(first_network_meeting(page))
        page.get_by_role("link", name="Se alle datoer i serien").click()
    elif view == "occurrence":
        page.goto(first_network_meeting(page))
    else:
        page.goto("/kalender/")
        page.locator(".event-item.is-cancelled h3 a").first.click()
        expect(page.locator(".status-banner")).to_be_visible()
    check_axe(page)


def test_month_grid_has_the_meetings(page):
    url = first_network_meeting(page)
    year, month = re.search(r"/(\d{4})-(\d{2})-\d{2}$", url).groups()
    page.goto(f"/kalender/maaned/{year}/{int(month)}")
    link = page.locator(f"table.month-grid a[href='{url}']")
    expect(link).to_contain_text("13.00")
    check_axe(page)


def test_month_grid_reads_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    url = first_network_meeting(page)
    year, month = re.search(r"/(\d{4})-(\d{2})-\d{2}$", url).groups()
    page.goto(f"/kalender/maaned/{year}/{int(month)}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the month grid scrolls sideways on a phone ({width}px)"
    expect(page.locator(f"table.month-grid a[href='{url}']")).to_be_visible()
    context.close()


def test_editor_form_with_errors_has_no_axe_violations(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/kalender/")
    page.get_by_role("link", name="Opret møde").click()
    page.get_by_label("Til kl.").fill("12:00")
    page.get_by_role("button", name="Opret møde").click()
    expect(page.get_by_text("Skriv en titel.")).to_be_visible()
    expect(page.get_by_text("Vælg datoen.")).to_be_visible()
    assert page.get_by_label("Titel").get_attribute("aria-invalid") == "true"
    check_axe(page)


def test_subscription_page_has_no_axe_violations(page):
    email, _, _, password = STAFF
    log_in(page, email, password)
    page.goto("/kalender/abonnement")
    check_axe(page)
    page.get_by_role("button", name="Lav mine links").click()
    assert page.locator("a.feed-link").count() == 2
    check_axe(page)
