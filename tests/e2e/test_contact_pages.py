"""Contact persons in a real browser: self-service edit, then directory and search; axe."""

import re

import pytest

from portal.auth.cli import DEMO_USERS
from tests.e2e.conftest import check_axe, log_in

CONTACT = next(u for u in DEMO_USERS if u[2] == "contact")
EDITOR = next(u for u in DEMO_USERS if u[2] == "editor")


def test_contact_edits_phone_and_sees_it_in_directory_and_search(page):
    email, name, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/min-profil")
    assert page.get_by_text("Er dine oplysninger stadig korrekte?").is_visible()  # demo: stale
    page.get_by_label("Telefon").fill("30 55 44 33")
    page.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Profilen er gemt.").is_visible()
    page.goto("/kontaktpersoner/?q=" + name.split()[0])
    card = page.locator(".contact-card", has_text=name)
    assert card.get_by_role("link", name="+45 30 55 44 33").is_visible()
    page.goto("/soeg?q=" + name.replace(" ", "+"))
    result = page.locator("ol.results li", has_text=name)
    result.get_by_role("link", name=name).click()
    assert page.get_by_role("link", name="+45 30 55 44 33").is_visible()


def test_edit_form_with_errors_has_no_axe_violations(page):
    email, _, _, password = CONTACT
    log_in(page, email, password)
    page.goto("/min-profil")
    page.get_by_label("E-mail").fill("ikke en mail")
    page.get_by_label("Telefon").fill("12")
    page.get_by_role("button", name="Gem").click()
    assert page.get_by_text("Skriv en gyldig e-mailadresse").is_visible()
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


# Issue 14 #4: the editors' lists of centres, teams and areas (/redaktion/enheder)


def test_editors_lists_and_a_proposed_team_have_no_axe_violations(page):
    email, _, _, password = EDITOR
    log_in(page, email, password)
    page.goto("/redaktion/enheder")
    proposal = page.locator("#afventer li").first
    assert proposal.get_by_role("button", name="Godkend").is_visible()  # the demo's proposal
    check_axe(page)
    proposal.get_by_role("link").first.click()
    assert page.get_by_text("Afventer godkendelse.").is_visible()
    check_axe(page)
    page.get_by_role("button", name=re.compile("Læg .* sammen")).click()  # not confirmed
    assert page.get_by_text("Sæt kryds for at bekræfte sammenlægningen.").is_visible()
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
