"""Editing a procedure in a real browser (issue 11): an editor changes a step's owner and text,
previews, saves, sees the change in the history's comparison and restores the earlier version;
axe finds no violations on the editor, history, comparison and changes pages."""

from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")
PROCEDURE = "/sagsgange/borger-i-jobcentret-har-brug-for-sof"


def test_editor_changes_a_step_previews_saves_compares_and_restores(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto(PROCEDURE)
    page.get_by_role("link", name="Ret siden").click()
    check_axe(page)

    first = page.get_by_role("group", name="Trin 1")
    old_text = first.get_by_label("Hvad sker der (Markdown)").input_value()
    first.get_by_label("Hvem har trinnet").select_option("both")
    first.get_by_label("Hvad sker der (Markdown)").fill("Ring til **SOF's hotline** først.")
    page.get_by_label("Tekst (Markdown)", exact=True).fill("Nu med **fed** tekst.")
    page.get_by_role("button", name="Forhåndsvis").click()  # live: the server renders it
    preview = page.locator("#forhaandsvisning strong")
    preview.wait_for()
    assert preview.inner_text() == "fed"

    page.get_by_label("Hvad har du ændret?").fill("Begge ringer til hotline")
    page.get_by_role("button", name="Gem siden").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Siden er gemt.")).to_be_visible()
    expect(page.get_by_text("Ring til SOF's hotline først.")).to_be_visible()

    page.get_by_role("link", name="Historik", exact=False).first.click()
    check_axe(page)
    page.get_by_role("link", name="Se ændringerne i version 2").click()
    check_axe(page)
    assert page.locator(".diff-steps ins").filter(has_text="hotline").count() >= 1
    assert page.locator(".diff-steps del").filter(has_text=old_text.split()[0]).count() >= 1

    page.get_by_role("button", name="Gendan version 1").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Version 1 er gendannet")).to_be_visible()
    page.goto(PROCEDURE)
    assert page.get_by_text("Ring til SOF's hotline først.").count() == 0

    page.goto("/aendringer")
    check_axe(page)
    expect(page.get_by_text("Gendannet fra version 1")).to_be_visible()
    page.goto("/sagsgange/ny")
    check_axe(page)
