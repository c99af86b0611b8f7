"""Mail in a real browser: a person asks for a reset link and sets a new password through it;
an administrator reads the mail at /admin/post (no mail server in development); every page
has no axe violations."""

import re

from playwright.sync_api import expect

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

ADMIN = next(u for u in DEMO_USERS if u[2] == "admin")
STAFF = next(u for u in DEMO_USERS if u[2] == "staff")


def test_forgotten_password_by_mail_and_the_outbox(browser, page):
    page.goto("/login")
    page.get_by_role("link", name="Glemt din adgangskode?").click()
    check_axe(page)
    page.get_by_role("button", name="Send mig et link").click()  # empty: a Danish error
    expect(page.get_by_text("Skriv din e-mailadresse.").first).to_be_visible()
    check_axe(page)
    page.get_by_label("Din arbejdsmail").fill(STAFF[0])
    page.get_by_role("button", name="Send mig et link").click()
    expect(page.get_by_role("heading", name="Tjek din e-mail")).to_be_visible()
    check_axe(page)

    admin = browser.new_context(base_url=page.url.split("/glemt")[0], locale="da-DK").new_page()
    admin.set_default_timeout(15_000)
    log_in(admin, ADMIN[0], ADMIN[3])
    admin.goto("/admin/post")
    check_axe(admin)
    admin.get_by_role("link", name="Ny adgangskode til BIF-SOF Portalen").first.click()
    check_axe(admin)
    text = admin.locator("pre.mail-text").inner_text()
    link = re.search(r"https?://\S+/nulstil-adgangskode/\S+", text).group()

    page.goto(link)
    check_axe(page)
    # The same password again: other browser tests log in as this demo user.
    page.get_by_label("Ny adgangskode (mindst 12 tegn)").fill(STAFF[3])
    page.get_by_label("Gentag den nye adgangskode").fill(STAFF[3])
    page.get_by_role("button").filter(has_text="Gem").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Din nye adgangskode er gemt")).to_be_visible()
    page.goto("/min-konto/e-mail")
    check_axe(page)
    page.get_by_label("Ugentlig oversigt over nyheder til videreformidling").check()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Dine valg om e-mail er gemt.")).to_be_visible()
    admin.context.close()


def test_a_reminders_confirm_link_in_a_browser(live_server, page):
    """The page a reminder mail's link opens asks first (a GET confirms nothing), the button
    confirms; both pages, and the page of a used link, have no axe violations."""
    import sqlalchemy as sa

    from portal.contacts import reminders
    from portal.contacts.models import ContactProfile
    from portal.extensions import db

    with live_server.app.app_context():
        profile = db.session.scalars(
            sa.select(ContactProfile).order_by(ContactProfile.confirmed_at)
        ).first()
        path = f"/min-profil/bekraeft/{reminders.confirm_token(profile)}"
    page.goto(path)
    expect(page.get_by_role("heading", name="Er dine oplysninger stadig rigtige?")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Ja, mine oplysninger er korrekte").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Tak: dine oplysninger er bekræftet")).to_be_visible()
    check_axe(page)
    page.goto(path)
    expect(page.get_by_role("heading", name="Linket virker ikke")).to_be_visible()
    check_axe(page)
