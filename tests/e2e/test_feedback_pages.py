"""Reader feedback in a real browser: a reader answers "Er siden korrekt og nyttig?" (without
JavaScript), an editor finds it on Redaktion and marks it handled; axe on every state."""

from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

READER = next(u for u in DEMO_USERS if u[2] == "staff")
EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")
PROCEDURE = "/sagsgange/samarbejdsmodellen"
COMMENT = "Trin 4 henviser til en skabelon, som ikke findes længere."


def test_reader_leaves_feedback_and_an_editor_handles_it(browser, live_server, page):
    # The reader, with JavaScript off: the form is plain HTML, post-redirect-get.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    reader = context.new_page()
    email, _, _, password = READER
    log_in(reader, email, password)
    reader.goto(PROCEDURE)
    block = reader.locator("#tilbagemelding")
    block.get_by_label("Nej").check()
    block.get_by_label("Kommentar (valgfri)").fill("Ring til 010190-1234 om det")
    block.get_by_role("button", name="Send tilbagemelding").click()
    assert "CPR-nummer" in block.locator(".field-error").inner_text()
    assert block.get_by_label("Kommentar (valgfri)").input_value() == "Ring til 010190-1234 om det"
    block.get_by_label("Kommentar (valgfri)").fill(COMMENT)
    block.get_by_role("button", name="Send tilbagemelding").click()
    assert reader.url.endswith(f"{PROCEDURE}#tilbagemelding")
    expect(reader.get_by_text("Tak for din tilbagemelding.")).to_be_visible()
    assert "Tak for dit svar «Nej»" in block.locator(".feedback-status").inner_text()
    context.close()

    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto(PROCEDURE)
    check_axe(page)  # the block with the form and a link to the page's feedback
    page.goto("/redaktion")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Tilbagemeldinger fra læsere")
    )
    assert COMMENT in section.inner_text()
    check_axe(page)
    section.get_by_role("link", name="Samarbejdsmodellen i syv trin").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tilbagemeldinger:")
    item = page.locator(".feedback-item", has_text=COMMENT)
    item.get_by_role("button", name="Marker som behandlet").click()  # no reply yet
    expect(page.get_by_text("Skriv et svar til den, der gav tilbagemeldingen.")).to_be_visible()
    check_axe(page)  # the list with a refused handling
    item = page.locator(".feedback-item", has_text=COMMENT)
    item.get_by_label("Svar til den, der skrev").fill("Skabelonen er lagt ind igen. Tak!")
    item.get_by_role("button", name="Marker som behandlet").click()
    expect(page.get_by_text("Tilbagemeldingen er markeret som behandlet.")).to_be_visible()
    handled = page.locator("section", has=page.get_by_role("heading", name="Behandlet"))
    assert COMMENT in handled.inner_text()
    assert "Skabelonen er lagt ind igen. Tak!" in handled.inner_text()
    check_axe(page)
    page.goto("/redaktion/tilbagemeldinger")
    check_axe(page)


def test_reader_block_states_have_no_axe_violations(browser, live_server, page):
    page.goto(PROCEDURE)  # anonymous: a line with a login link
    link = page.locator("#tilbagemelding").get_by_role("link", name="Log ind")
    assert "next=" in link.get_attribute("href")
    check_axe(page)
    email, _, _, password = READER
    log_in(page, email, password)
    page.goto("/vejviser/groen-linie")
    block = page.locator("#tilbagemelding")
    block.get_by_role("button", name="Send tilbagemelding").click()  # no answer chosen
    expect(block.get_by_text("Vælg ja eller nej.")).to_be_visible()
    check_axe(page)
