"""Search in a real browser: the suggestion box by keyboard, and axe on the result pages."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_axe


def test_suggestions_by_keyboard(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="Søg i portalen")
    box.press_sequentially("grøn li", delay=30)
    listbox = page.get_by_role("listbox", name="Forslag")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.count() >= 1
    assert box.get_attribute("aria-expanded") == "true"
    check_axe(page)
    box.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    title = first.inner_text()
    box.press("Enter")
    page.wait_for_url("**/groen-linie")
    assert page.get_by_role("heading", level=1).inner_text() == title


def test_escape_closes_and_enter_submits_the_plain_form(page):
    page.goto("/")
    box = page.get_by_role("combobox", name="Søg i portalen")
    box.press_sequentially("samtykke", delay=30)
    page.get_by_role("listbox", name="Forslag").wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/soeg?q=samtykke"))
    assert page.locator("ol.results > li").count() >= 1


@pytest.mark.parametrize(
    "query, selector",
    [
        ("samtykke", "ol.results"),
        ("xyzzyqwerty", ".no-results"),
        ("samtyke", ".did-you-mean"),
        ("handlepaln", ".flash-warning"),
    ],
)
def test_result_pages_have_no_axe_violations(page, query, selector):
    page.goto(f"/soeg?q={query}")
    expect(page.locator(selector)).to_be_visible()
    check_axe(page)


def test_search_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Søg i portalen").fill("hjemløs")
    page.get_by_role("button", name="Søg").click()
    assert page.locator("ol.results a").first.get_attribute("href") == "/sagsgange/hjemloes-borger"
    context.close()
