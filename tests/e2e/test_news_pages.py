"""News in a real browser: an editor writes, previews and publishes; axe on the news pages and
the front page."""

import feedparser
import pytest
from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

CONTACT = next(u for u in DEMO_USERS if u[2] == "contact")
EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")


def test_editor_writes_previews_and_publishes(page, live_server):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/redaktion/nyheder/ny")
    check_axe(page)  # the editor form
    page.get_by_label("Overskrift").fill("Nyt møde om grøn linie i browseren")
    page.get_by_label("Resumé (vises i lister og i feedet)").fill("Et kort resumé.")
    page.get_by_label("Tekst (Markdown)").fill("## Baggrund\n\nMødet er for **alle** teams.")
    # The live preview renders on the server as you type.
    preview = page.locator("#forhaandsvisning")
    preview.locator("h2", has_text="Baggrund").wait_for()
    assert preview.locator("strong").inner_text() == "alle"
    page.get_by_role("button", name="Forhåndsvis").click()
    assert preview.locator("h2").inner_text() == "Baggrund"
    page.get_by_role("button", name="Udgiv").click()
    expect(page.get_by_text("Nyheden er udgivet.")).to_be_visible()
    page.goto("/")
    news = page.locator(".front-news")
    news.get_by_role("link", name="Nyt møde om grøn linie i browseren").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nyt møde om grøn linie i browseren"
    assert page.url.endswith("/nyheder/nyt-moede-om-groen-linie-i-browseren")
    feed = feedparser.parse(page.request.get("/nyheder.atom").body())
    assert "Nyt møde om grøn linie i browseren" in [e.title for e in feed.entries]


def test_preview_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/redaktion/nyheder/ny")
    page.get_by_label("Overskrift").fill("Uden JavaScript")
    page.get_by_label("Tekst (Markdown)").fill("*kursiv tekst*")
    page.get_by_role("button", name="Forhåndsvis").click()
    assert page.locator("#forhaandsvisning em").inner_text() == "kursiv tekst"
    assert page.get_by_label("Overskrift").input_value() == "Uden JavaScript"
    context.close()


@pytest.mark.parametrize("path", ["/", "/nyheder/", "/nyheder/?forvaltning=SOF"])
def test_public_pages_have_no_axe_violations(page, path):
    page.goto(path)
    assert page.locator(".news-list li").count() > 0
    check_axe(page)


def test_news_item_has_no_axe_violations(page):
    page.goto("/nyheder/")
    page.locator(".news-list h3 a").first.click()
    assert "/nyheder/" in page.url
    check_axe(page)


@pytest.mark.parametrize("user", [CONTACT, EDITOR], ids=["kontaktperson", "redaktoer"])
def test_front_page_logged_in_has_no_axe_violations(page, user):
    email, _, _, password = user
    log_in(page, email, password)
    page.goto("/")
    assert page.locator(".front-contact, .front-editor").count() == 1
    check_axe(page)


def test_editor_area_and_pass_on_list_have_no_axe_violations(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/redaktion")
    expect(page.locator("#r-kladder")).to_be_visible()
    check_axe(page)
    page.goto("/redaktion/genveje")
    check_axe(page)


def test_contact_passes_on_news(page):
    email, _, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/nyheder/videreformidling")
    check_axe(page)
    page.get_by_role("button", name="Markér «Hotline").click()
    expect(page.get_by_text("Du har videreformidlet nyheden.")).to_be_visible()
