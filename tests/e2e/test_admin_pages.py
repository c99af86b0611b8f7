"""User administration in a real browser: an admin creates an editor, the editor accepts the
invitation and logs in; every new page has no axe violations."""

import pytest
from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

ADMIN = next(u for u in DEMO_USERS if u[2] == "admin")
STAFF = next(u for u in DEMO_USERS if u[2] == "staff")
NEW_PASSWORD = "redaktoerens-eget-kodeord"


def create_user(page, name: str, email: str, role: str) -> str:
    """Create a user on /admin/brugere/ny; the invitation link shown afterwards."""
    page.goto("/admin/brugere")
    page.get_by_role("link", name="Opret bruger").first.click()
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("E-mail (brugernavn)").fill(email)
    page.get_by_label("Rolle").select_option(label=role)
    page.get_by_role("button", name="Opret bruger").click()
    page.wait_for_load_state()
    expect(page.get_by_text(f"{name} er oprettet.")).to_be_visible()
    return page.get_by_role("textbox", name="Link").input_value()


def test_admin_creates_an_editor_who_accepts_the_invitation_and_logs_in(browser, page):
    email, _, _, password = ADMIN
    log_in(page, email, password)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Administration"
    ).click()
    check_axe(page)
    page.goto("/admin/brugere/ny")
    check_axe(page)
    link = create_user(page, "Erna Eksempel", "erna.eksempel@example.com", "Redaktør")
    assert "/invitation/" in link
    check_axe(page)  # the user's page with the link
    page.goto(link)  # the admin checking the link they hand over is told whose it is
    expect(page.get_by_text("Linket er til Erna Eksempel")).to_be_visible()
    check_axe(page)
    page.go_back()

    editor = browser.new_context(locale="da-DK").new_page()
    editor.set_default_timeout(15_000)
    editor.goto(link)
    expect(editor.get_by_role("heading", name="Velkommen, Erna Eksempel")).to_be_visible()
    check_axe(editor)
    editor.get_by_label("Ny adgangskode (mindst 12 tegn)").fill(NEW_PASSWORD)
    editor.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD)
    editor.get_by_role("button", name="Gem adgangskode").click()
    editor.wait_for_load_state()
    editor.get_by_role("button", name="Log ud").click()
    editor.wait_for_load_state()
    editor.goto(link)
    expect(editor.get_by_role("heading", name="Linket virker ikke")).to_be_visible()
    check_axe(editor)
    base = page.url.split("/admin", 1)[0]
    editor.goto(base + "/login")
    editor.get_by_label("E-mail").fill("erna.eksempel@example.com")
    editor.get_by_label("Adgangskode").fill(NEW_PASSWORD)
    editor.get_by_role("button", name="Log ind").click()
    editor.wait_for_load_state()
    nav = editor.get_by_role("navigation", name="Hovedmenu")
    expect(nav.get_by_role("link", name="Redaktion")).to_be_visible()
    assert nav.get_by_role("link", name="Administration").count() == 0
    editor.context.close()


def test_user_page_actions_and_log_have_no_axe_violations(page):
    email, _, _, password = ADMIN
    log_in(page, email, password)
    create_user(page, "Ada Anden", "ada.anden@example.com", "Administrator")
    page.goto("/admin/brugere?rolle=staff&status=aktiv")
    page.get_by_role("link", name=STAFF[1]).click()
    page.get_by_role("button", name="Lav link til ny adgangskode").click()
    page.wait_for_load_state()
    reset_link = page.get_by_role("textbox", name="Link").input_value()
    assert "/nulstil-adgangskode/" in reset_link
    check_axe(page)
    page.get_by_role("link", name=f"Deaktivér {STAFF[1]}").click()
    expect(page.get_by_role("button", name=f"Ja, deaktivér {STAFF[1]}")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Fortryd").click()
    page.goto("/admin/log?type=user")
    assert page.locator("tbody tr").count() > 0
    check_axe(page)
    page.goto("/admin/log?fra=2026-02-01&til=2026-01-01")
    expect(page.get_by_text("Til-datoen er før fra-datoen.")).to_be_visible()
    check_axe(page)
    # Demoting oneself asks first (there are two admins now).
    page.goto("/min-konto")
    check_axe(page)
    page.goto("/admin/brugere?rolle=admin")
    page.get_by_role("link", name=ADMIN[1]).click()
    page.get_by_label("Rolle").select_option(label="Redaktør")
    page.get_by_role("button", name="Gem rolle").click()
    expect(page.get_by_role("button", name="Ja, fjern min administratorrolle")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Fortryd, jeg forbliver administrator").click()
    expect(
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Administration")
    ).to_be_visible()


@pytest.mark.parametrize("with_errors", [False, True])
def test_change_password_page_has_no_axe_violations(page, with_errors):
    email, _, _, password = STAFF
    log_in(page, email, password)
    page.goto("/min-konto")
    page.get_by_role("link", name="Skift adgangskode").click()
    if with_errors:
        page.get_by_label("Nuværende adgangskode").fill("forkert-kodeord")
        page.get_by_label("Ny adgangskode (mindst 12 tegn)").fill("kort")
        page.get_by_role("button", name="Skift adgangskode").click()
        expect(page.get_by_text("De to adgangskoder er ikke ens.")).to_be_visible()
    check_axe(page)


def test_reset_page_has_no_axe_violations(page, live_server):
    from portal.auth import links
    from portal.auth.services import get_by_email

    with live_server.app.app_context():
        token = links.make(get_by_email(STAFF[0]), links.RESET)
    page.goto(f"/nulstil-adgangskode/{token}")
    expect(page.get_by_role("heading", name="Vælg ny adgangskode")).to_be_visible()
    check_axe(page)
    page.goto("/nulstil-adgangskode/ugyldigt")
    expect(page.get_by_role("heading", name="Linket virker ikke")).to_be_visible()
    check_axe(page)
