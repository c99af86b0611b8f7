"""Contact persons in a real browser: self-service edit, then directory and search; axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from portal.auth import services as auth
from portal.auth.cli import DEMO_USERS
from portal.contacts import profiles
from portal.db import utcnow
from portal.extensions import db
from portal.templating import dato
from tests.e2e.conftest import check_axe, log_in

CONTACT = next(u for u in DEMO_USERS if u[2] == "contact")
EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")


def test_contact_edits_phone_and_sees_it_in_directory_and_search(page):
    email, name, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/min-profil")
    expect(page.get_by_text("Er dine oplysninger stadig korrekte?")).to_be_visible()  # demo: stale
    page.get_by_label("Telefon").fill("30 55 44 33")
    page.get_by_role("button", name="Gem og bekræft").click()
    expect(page.get_by_text("Dine oplysninger er gemt og bekræftet.")).to_be_visible()
    page.goto("/kontaktpersoner/?q=" + name.split()[0])
    card = page.locator(".contact-card", has_text=name)
    expect(card.get_by_role("link", name="+45 30 55 44 33")).to_be_visible()
    page.goto("/soeg?q=" + name.replace(" ", "+"))
    result = page.locator("ol.results li", has_text=name)
    result.get_by_role("link", name=name).click()
    expect(page.get_by_role("link", name="+45 30 55 44 33")).to_be_visible()


def test_edit_form_with_errors_has_no_axe_violations(page):
    email, _, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/min-profil")
    page.get_by_label("E-mail").fill("ikke en mail")
    page.get_by_label("Telefon").fill("12")
    page.get_by_role("button", name="Gem og bekræft").click()
    expect(page.get_by_text("Skriv en gyldig e-mailadresse")).to_be_visible()
    check_axe(page)


@pytest.mark.parametrize("path", ["/kontaktpersoner/", "/kontaktpersoner/?forvaltning=SOF"])
def test_directory_has_no_axe_violations(page, path):
    page.goto(path)
    assert page.locator(".contact-card").count() > 0
    check_axe(page)


def test_profile_has_no_axe_violations(page):
    page.goto("/kontaktpersoner/")
    page.locator(".contact-name a").first.click()
    assert re.search(r"/kontaktpersoner/\d+$", page.url)
    check_axe(page)


def test_editors_stale_list_has_no_axe_violations(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/kontaktpersoner/opfoelgning")
    assert page.locator("tbody tr").count() > 0
    check_axe(page)


# --- Issue 14 #2 and #5 (destructive actions, invitation after a redirect) -----------------

ADMIN = next(u for u in DEMO_USERS if u[2] == "admin")


def test_editor_creates_a_contact_and_the_link_survives_a_reload(browser, page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/kontaktpersoner/ny")
    page.get_by_label("Navn").fill("Ebba Eksempel")
    page.get_by_label("Forvaltning").select_option("SOF")
    page.get_by_label("E-mail").fill("ebba.eksempel@example.com")
    page.get_by_role("button", name="Opret og lav invitation").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Ebba Eksempel er oprettet.")).to_be_visible()
    link = page.get_by_role("textbox", name="Link").input_value()
    assert "/invitation/" in link
    check_axe(page)
    page.reload()
    assert page.get_by_role("textbox", name="Link").input_value() == link

    guest = browser.new_context(locale="da-DK").new_page()
    guest.set_default_timeout(15_000)
    guest.goto(link)
    expect(guest.get_by_role("heading", name="Velkommen, Ebba Eksempel")).to_be_visible()
    expect(guest.get_by_text("som BIF-SOF-kontaktperson")).to_be_visible()
    check_axe(guest)
    guest.context.close()


def test_editor_deactivates_after_confirming_and_reactivates(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/kontaktpersoner/")
    page.locator(".contact-name a").first.click()
    name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=f"Deaktivér {name}").click()
    expect(page.get_by_role("heading", name=f"Deaktivér {name}?")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=f"Deaktivér {name}").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Deaktiverede kontaktpersoner")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=f"Genaktivér {name}").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def test_admin_erasure_page_wants_the_name(page):
    email, _, _, password = ADMIN
    log_in(page, email, password)
    page.goto("/kontaktpersoner/")
    page.locator(".contact-name a").first.click()
    name = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=f"Slet {name} helt").click()
    expect(page.get_by_role("heading", name=f"Slet {name} helt?")).to_be_visible()
    check_axe(page)
    page.get_by_label("Personens fulde navn").fill("Et andet navn")
    page.get_by_role("button", name=f"Slet {name} for altid").click()
    expect(page.get_by_text("Navnet passer ikke.")).to_be_visible()
    check_axe(page)
    page.get_by_role("link", name="Fortryd").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


# --- end of issue 14 #2 and #5 ---------------------------------------------------------------


# Issue 14 #4: the editors' lists of centres, teams and areas (/redaktion/enheder)


def test_editors_lists_and_a_proposed_team_have_no_axe_violations(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/redaktion/enheder")
    proposal = page.locator("#afventer li").first
    expect(proposal.get_by_role("button", name="Godkend")).to_be_visible()  # the demo's proposal
    check_axe(page)
    proposal.get_by_role("link").first.click()
    expect(page.get_by_text("Afventer godkendelse.")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name=re.compile("Læg .* sammen")).click()  # not confirmed
    expect(page.get_by_text("Sæt kryds for at bekræfte sammenlægningen.")).to_be_visible()
    check_axe(page)


def test_directory_filters_narrow_each_other_without_javascript(page):
    page.goto("/kontaktpersoner/")
    page.get_by_label("Forvaltning").select_option("BIF")
    page.get_by_role("button", name="Vis").click()
    centres = page.locator("#f-center option").all_inner_texts()
    assert "Jobcenter København" in centres and "Socialcentrets voksenenheder" not in centres
    page.get_by_label("Center/enhed").select_option(label="Jobcenter København")
    page.get_by_role("button", name="Vis").click()
    teams = page.locator("#f-team option").all_inner_texts()[1:]
    assert teams and set(teams) <= {"Team Indsatsklar", "Team Midlertidigt passiv", "Hotline"}
    check_axe(page)


def today(live_server) -> str:
    with live_server.app.app_context():
        return dato(utcnow())


def test_contact_edits_and_confirms_in_one_step(page, live_server):
    """Issue 14 #1 and #3: from the header's "Min profil", a change and "Gem og bekræft" save
    and confirm at once; the confirm-only button goes as soon as something is changed."""
    email, _, _, password = CONTACT
    log_in(page, email, password)
    page.locator("header").get_by_role("link", name="Min profil").click()
    assert page.url.endswith("/min-profil")
    confirm_only = page.get_by_role("button", name="Mine oplysninger er stadig korrekte")
    expect(confirm_only).to_be_visible()
    check_axe(page)
    page.get_by_label("Kort om mig").fill("Jeg svarer på spørgsmål om misbrug og beskæftigelse.")
    assert confirm_only.count() == 0  # changed: only "Gem og bekræft" is offered
    expect(page.get_by_text("Du har ændret noget.")).to_be_visible()
    page.get_by_role("button", name="Gem og bekræft").click()
    expect(page.get_by_text("Dine oplysninger er gemt og bekræftet.")).to_be_visible()
    expect(page.get_by_text(f"Sidst bekræftet af dig: {today(live_server)}")).to_be_visible()
    assert page.get_by_label("Kort om mig").input_value().startswith("Jeg svarer")
    check_axe(page)
    page.get_by_role("link", name="Se min profil, som andre ser den").click()
    expect(page.get_by_text("Jeg svarer på spørgsmål om misbrug")).to_be_visible()
    assert page.locator(".banner-warning").count() == 0


def test_confirming_a_changed_form_keeps_the_change(page, live_server):
    """Without the script's help (the value set without an input event, as with JavaScript
    off), "Mine oplysninger er stadig korrekte" on a changed form saves and confirms nothing
    and shows the form again with the change; "Gem og bekræft" there saves it."""
    email, _, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/min-profil")
    page.get_by_label("Stilling").evaluate("field => { field.value = 'Titel uden script'; }")
    page.get_by_role("button", name="Mine oplysninger er stadig korrekte").click()
    expect(page.get_by_text("Intet er bekræftet.")).to_be_visible()
    assert page.get_by_label("Stilling").input_value() == "Titel uden script"
    assert page.get_by_role("button", name="Mine oplysninger er stadig korrekte").count() == 0
    check_axe(page)
    page.get_by_role("button", name="Gem og bekræft").click()
    expect(page.get_by_text("Dine oplysninger er gemt og bekræftet.")).to_be_visible()
    assert page.get_by_label("Stilling").input_value() == "Titel uden script"


def test_confirming_an_untouched_form_confirms(page, live_server):
    """What a browser sends back untouched is no change: the centre and team chosen by id,
    the areas as shown, and a text of several lines (which a browser sends with CRLF)."""
    email, _, _, password = CONTACT
    with live_server.app.app_context():
        profile = profiles.profile_of(auth.get_by_email(email))
        profile.about = "Første linje.\nAnden linje."
        profile.confirmed_at = utcnow() - timedelta(days=400)
        db.session.commit()
        centre, team = profile.centre_name, profile.team_name
    assert centre and team, "the demo contact has a centre and a team: the test needs them"
    log_in(page, email, password)
    page.goto("/min-profil")
    assert page.get_by_label("Center/enhed").locator("option:checked").inner_text() == centre
    page.get_by_role("button", name="Mine oplysninger er stadig korrekte").click()
    expect(page.get_by_text("Dine oplysninger er bekræftet som korrekte.")).to_be_visible()
    expect(page.get_by_text(f"Sidst bekræftet af dig: {today(live_server)}")).to_be_visible()
    # A proposed team is a change; the team chosen in the select stays chosen beside it.
    page.get_by_label("foreslå et nyt team").evaluate("box => { box.value = 'Team Forslag'; }")
    page.get_by_role("button", name="Mine oplysninger er stadig korrekte").click()
    expect(page.get_by_text("Intet er bekræftet.")).to_be_visible()
    assert page.get_by_label("Team", exact=True).locator("option:checked").inner_text() == team
    assert page.get_by_label("foreslå et nyt team").input_value() == "Team Forslag"
    check_axe(page)
