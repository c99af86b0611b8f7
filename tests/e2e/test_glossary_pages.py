"""The glossary in a real browser (issue 11): an editor adds «misbrug» with the synonym
«alkohol», and the next search for "alkohol" finds the page about misbrug; the term is then
removed again. axe finds no violations on the glossary, its term form (also with errors),
the removal, its history and a comparison."""

from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")
PAGE_ABOUT_MISBRUG = "/sagsgange/borger-med-misbrug"


def test_an_editor_adds_a_synonym_and_search_finds_the_page(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/soeg?q=alkohol")
    assert page.locator(f"main a[href='{PAGE_ABOUT_MISBRUG}']").count() == 0

    page.goto("/ordliste")
    check_axe(page)
    page.get_by_role("link", name="Tilføj et ord").click()
    check_axe(page)
    page.get_by_role("button", name="Tilføj ordet").click()  # empty: refused on the fields
    page.wait_for_load_state()
    assert page.locator("#term-fejl").inner_text() == "Skal udfyldes."
    check_axe(page)

    page.get_by_label("Ord eller forkortelse").fill("misbrug")
    page.get_by_label("Synonymer (adskilt af komma)").fill("alkohol")
    page.get_by_label("Forklaring (Markdown)").fill("Skadelig brug af **alkohol** eller stoffer.")
    page.get_by_label("Hvad har du ændret?").fill("Søgningen på alkohol gav intet")
    page.get_by_role("button", name="Tilføj ordet").click()
    page.wait_for_load_state()
    expect(page.get_by_text("«misbrug» er gemt i ordlisten.")).to_be_visible()
    expect(page.locator("dt#misbrug")).to_be_visible()

    page.goto("/soeg?q=alkohol")
    assert page.locator(f"main a[href='{PAGE_ABOUT_MISBRUG}']").count() >= 1

    page.goto("/ordliste")
    page.get_by_role("link", name="Historik").first.click()
    check_axe(page)
    page.get_by_role("link", name="Se ændringerne i version", exact=False).first.click()
    check_axe(page)
    assert page.locator(".diff-terms li").filter(has_text="misbrug").count() == 1

    page.goto("/ordliste")
    page.get_by_role("link", name="Ret «misbrug»").click()
    check_axe(page)
    page.get_by_label("Ja, fjern ordet fra ordlisten").check()
    page.get_by_role("button", name="Fjern «misbrug»").click()
    page.wait_for_load_state()
    expect(page.get_by_text("«misbrug» er fjernet fra ordlisten.")).to_be_visible()
    assert page.locator("dt#misbrug").count() == 0
