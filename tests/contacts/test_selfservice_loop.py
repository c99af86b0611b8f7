"""Issue 14: the contact person's own loop. Saving and confirming is one step; confirming
never throws typed edits away; "Min profil" is in the header and in the reminder; the profile
says when it was confirmed and when it was changed, in words nobody can misread."""

import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.contacts import units
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from portal.templating import dato
from tests.conftest import csrf_token
from tests.contacts.test_photos import image_bytes
from tests.contacts.test_selfservice import form_values, login_as

LONG_AGO = timedelta(days=200)
CONFIRM_ONLY = "Mine oplysninger er stadig korrekte"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def stale_contact(app, make_contact):
    """A contact person who confirmed long ago (demo data looks like this)."""
    pid = make_contact(name="Kim Kontakt")
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = utcnow() - LONG_AGO
        db.session.commit()
    return pid


def actions(app, pid) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [
            (e.action, e.field)
            for e in db.session.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.object_type == "contact", AuditEntry.object_id == str(pid))
                .order_by(AuditEntry.id)
            )
        ]


def buttons(page: BeautifulSoup) -> list[str]:
    return [b.get_text(strip=True) for b in page.select("main form button")]


def other_team(app) -> str:
    """The id of a second team on the list, under the contact's centre (a select's value)."""
    with app.app_context():
        _, team = units.ensure("SOF", "Rådgivningscenter København", "Team B")
        db.session.commit()
        return str(team.id)


def chosen(page: BeautifulSoup, select: str) -> str:
    return page.select_one(f"#{select} option[selected]").get_text()


# Bug 1: confirming never discards typed changes


def test_one_form_offers_save_and_confirm_and_confirm_only(
    client, auth, stale_contact, get_profile
):
    login_as(auth, get_profile, stale_contact)
    page = soup(client.get("/min-profil"))
    forms = page.select("main form[method=post]")
    assert len(forms) == 1, "one form: the buttons act on what is typed in it"
    form = forms[0]
    assert form["action"] == "/min-profil"
    assert [b.get_text(strip=True) for b in form.select("button")] == [
        "Gem og bekræft",
        CONFIRM_ONLY,
    ]
    confirm_only = form.select("button")[1]
    assert confirm_only["formaction"] == "/min-profil/bekraeft"  # no JavaScript needed


def test_save_and_confirm_is_one_step(app, client, auth, stale_contact, get_profile):
    login_as(auth, get_profile, stale_contact)
    before = get_profile(stale_contact)
    data = form_values(client)
    data.update(team=other_team(app))
    response = client.post("/min-profil", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/min-profil"
    after = get_profile(stale_contact)
    assert after["team"] == "Team B" and after["version"] == before["version"] + 1
    assert after["confirmed_at"] > utcnow() - timedelta(minutes=1)
    assert actions(app, stale_contact)[-2:] == [("update", "team"), ("confirm", None)]
    page = soup(client.get("/min-profil"))
    assert "gemt og bekræftet" in page.select_one(".flashes").get_text()
    assert "Er dine oplysninger stadig korrekte?" not in page.get_text()


def test_save_and_confirm_without_changes_confirms(app, client, auth, stale_contact, get_profile):
    login_as(auth, get_profile, stale_contact)
    response = client.post("/min-profil", data=form_values(client))
    assert response.status_code == 302
    after = get_profile(stale_contact)
    assert after["confirmed_at"] > utcnow() - timedelta(minutes=1) and after["version"] == 1
    assert actions(app, stale_contact)[-1] == ("confirm", None)


def test_confirm_only_with_typed_changes_keeps_them_and_confirms_nothing(
    app, client, auth, stale_contact, get_profile
):
    """The reported bug: edits typed, then "my data is correct" pressed."""
    login_as(auth, get_profile, stale_contact)
    before = get_profile(stale_contact)
    data = form_values(client)
    data.update(team=other_team(app), phone="30 99 88 77")
    response = client.post("/min-profil/bekraeft", data=data)
    assert response.status_code == 400
    assert get_profile(stale_contact) == before  # not saved, not confirmed
    assert ("confirm", None) not in actions(app, stale_contact)
    page = soup(response)
    assert chosen(page, "team") == "Team B"  # the typed values stay
    assert page.select_one("#phone")["value"] == "30 99 88 77"
    summary = page.select_one(".error-summary").get_text(" ", strip=True)
    assert "ikke gemt" in summary and "Gem og bekræft" in summary
    assert "Ændret" in page.select_one("#team-fejl").get_text()
    assert "email-fejl" not in str(page)  # unchanged fields are not marked
    # Confirm-only is no longer offered for these values; saving them is.
    assert buttons(page) == ["Gem og bekræft"]
    assert page.select_one("main form[method=post]")["action"] == "/min-profil"
    # Pressing "Gem og bekræft" on that page saves what was typed and confirms.
    data["csrf_token"] = page.select_one("input[name=csrf_token]")["value"]
    assert client.post("/min-profil", data=data).status_code == 302
    after = get_profile(stale_contact)
    assert after["team"] == "Team B" and after["phone"] == "+4530998877"
    assert after["confirmed_at"] > before["confirmed_at"]


def test_confirm_only_without_changes_confirms_and_keeps_the_version(
    app, client, auth, stale_contact, get_profile
):
    login_as(auth, get_profile, stale_contact)
    data = form_values(client)
    data["phone"] = "+45 30 12 34 56"  # the same number, written another way
    response = client.post("/min-profil/bekraeft", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/min-profil"
    after = get_profile(stale_contact)
    assert after["confirmed_at"] > utcnow() - timedelta(minutes=1) and after["version"] == 1
    assert actions(app, stale_contact)[-1] == ("confirm", None)
    assert "bekræftet" in soup(client.get("/min-profil")).select_one(".flashes").get_text()


def test_confirm_only_with_invalid_or_cleared_values_confirms_nothing(
    client, auth, stale_contact, get_profile
):
    login_as(auth, get_profile, stale_contact)
    before = get_profile(stale_contact)
    data = form_values(client)
    data.update(phone="12", email="")
    response = client.post("/min-profil/bekraeft", data=data)
    assert response.status_code == 400 and get_profile(stale_contact) == before
    page = soup(response)
    assert page.select_one("#phone")["value"] == "12"
    assert CONFIRM_ONLY not in buttons(page)


def test_confirm_only_with_a_photo_or_its_removal_confirms_nothing(
    client, auth, stale_contact, get_profile
):
    login_as(auth, get_profile, stale_contact)
    before = get_profile(stale_contact)
    data = form_values(client)
    data["photo"] = (io.BytesIO(image_bytes()), "mig.jpg")
    response = client.post("/min-profil/bekraeft", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and get_profile(stale_contact) == before
    assert "Ændret" in soup(response).select_one("#photo-fejl").get_text()


def test_a_bare_confirm_without_the_form_confirms_nothing(client, auth, stale_contact, get_profile):
    """An old page's separate confirm button sent only its token: it never saw the fields, so it
    cannot vouch for them (nor drop what was typed beside it)."""
    login_as(auth, get_profile, stale_contact)
    before = get_profile(stale_contact)
    token = csrf_token(client, "/min-profil")
    response = client.post("/min-profil/bekraeft", data={"csrf_token": token})
    assert response.status_code == 400 and get_profile(stale_contact) == before
    page = soup(response)
    assert "Intet er bekræftet" in page.select_one(".error-summary").get_text()
    assert chosen(page, "team") == "Team A"  # the stored values, to look at
    assert page.select_one("#job_title")["value"] == ""
    assert buttons(page) == ["Gem og bekræft", CONFIRM_ONLY]


def test_confirm_only_after_someone_else_saved_is_a_conflict(
    app, client, auth, stale_contact, get_profile
):
    login_as(auth, get_profile, stale_contact)
    mine = form_values(client)
    with app.app_context():
        profile = db.session.get(ContactProfile, stale_contact)
        profile.job_title, profile.version = "Andens ændring", 2
        db.session.commit()
    response = client.post("/min-profil/bekraeft", data=mine)
    assert response.status_code == 409
    after = get_profile(stale_contact)
    assert after["confirmed_at"] < utcnow() - timedelta(days=100)
    assert "ændret af en anden" in soup(response).select_one(".error-summary").get_text()


def test_an_editors_save_does_not_confirm_for_the_person(
    app, client, auth, make_user, stale_contact, get_profile
):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    page = soup(client.get(f"/kontaktpersoner/{stale_contact}/rediger"))
    assert buttons(page) == ["Gem"]
    data = form_values(client, f"/kontaktpersoner/{stale_contact}/rediger")
    data.update(team=other_team(app), job_title="Rettet af redaktionen")
    assert client.post(f"/kontaktpersoner/{stale_contact}/rediger", data=data).status_code == 302
    after = get_profile(stale_contact)
    assert (after["team"], after["job_title"]) == ("Team B", "Rettet af redaktionen")
    assert after["confirmed_at"] < utcnow() - timedelta(days=100)


# Bug 3: "Min profil" in the header and in the reminder


def header_links(client, path="/tilgaengelighed") -> dict[str, str]:
    page = soup(client.get(path))
    return {a.get_text(strip=True): a["href"] for a in page.select("header .account a")}


def test_header_links_to_min_profil_for_contact_persons(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    assert header_links(client)["Min profil"] == "/min-profil"
    assert header_links(client, "/kontaktpersoner/")["Min profil"] == "/min-profil"
    page = soup(client.get("/min-profil"))
    assert page.select_one("header .account a[aria-current=page]").get_text() == "Min profil"
    auth.logout()
    for role in ("staff", "editor", "admin"):
        user = make_user(role)
        auth.login(user.email)
        assert "Min profil" not in header_links(client), role
        auth.logout()
    assert "Min profil" not in header_links(client)


def test_the_header_link_costs_no_query(app, client, auth, make_user, make_contact, get_profile):
    """Every page has the header: the link must not add a query to each of them."""
    from sqlalchemy import event

    def statements_for(email: str) -> int:
        auth.login(email)
        client.get("/tilgaengelighed")  # warm up
        seen = []
        with app.app_context():
            engine = db.engine

        def count(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", count)
        try:
            client.get("/tilgaengelighed")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        auth.logout()
        return len(seen)

    staff = make_user("staff")
    pid = make_contact()
    assert statements_for(get_profile(pid)["user_email"]) == statements_for(staff.email)


@pytest.mark.parametrize(
    "app_config", [{"BASE_URL": "http://portal.example.dk", "TRUSTED_HOSTS": None}]
)
def test_the_reminder_links_to_min_profil_at_the_portals_address(
    app, client, auth, make_user, stale_contact
):
    """The link is PORTAL_BASE_URL's (the test client's requests carry its host)."""
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    page = soup(client.get("/kontaktpersoner/opfoelgning"))
    mailto = unquote(page.select_one("a[href^='mailto:']")["href"])
    assert "Min profil" in mailto and "\nhttp://portal.example.dk/min-profil\n" in mailto
    # The portal's own reminders (tests/mail/test_reminders.py) are counted per person.
    assert page.select_one("main table").get_text().count("Påmindelser sendt") == 1


# Bug 8: when confirmed, when changed


def edited_by_editor_today(client, auth, make_user, pid):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    data = form_values(client, f"/kontaktpersoner/{pid}/rediger")
    data["job_title"] = "Rettet af redaktionen"
    assert client.post(f"/kontaktpersoner/{pid}/rediger", data=data).status_code == 302


def facts(page: BeautifulSoup) -> dict[str, str]:
    return {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in page.select("dl.page-facts dt")
    }


def test_profile_says_who_confirmed_when_and_when_it_changed(
    app, client, auth, make_user, stale_contact, get_profile
):
    edited_by_editor_today(client, auth, make_user, stale_contact)
    with app.app_context():
        today = dato(utcnow())
        confirmed = dato(utcnow() - LONG_AGO)
        days = app.config["PROFILE_STALE_DAYS"]
    # The special unit sees both dates, each named for what it is.
    page = soup(client.get(f"/kontaktpersoner/{stale_contact}"))
    shown = facts(page)
    assert shown["Sidst ændret"] == today
    assert shown["Sidst bekræftet af personen"] == confirmed
    assert "Opdateret" not in page.get_text() and "for nylig" not in page.get_text()
    # Everyone else sees the change date and, in words, that the person has not confirmed.
    auth.logout()
    page = soup(client.get(f"/kontaktpersoner/{stale_contact}"))
    shown = facts(page)
    assert shown["Sidst ændret"] == today and "Sidst bekræftet af personen" not in shown
    warning = page.select_one(".banner-warning").get_text(" ", strip=True)
    assert f"ikke bekræftet sine oplysninger i over {days} dage" in warning
    assert confirmed not in page.get_text()
    card = soup(client.get("/kontaktpersoner/")).select_one(".contact-card").get_text(" ")
    assert f"Sidst ændret {today}" in " ".join(card.split())
    assert f"ikke bekræftet af personen i over {days} dage" in " ".join(card.split())
    assert "Opdateret" not in card


def test_min_profil_says_when_you_confirmed_and_when_it_changed(
    app, client, auth, make_user, stale_contact, get_profile
):
    edited_by_editor_today(client, auth, make_user, stale_contact)
    auth.logout()
    login_as(auth, get_profile, stale_contact)
    with app.app_context():
        today, confirmed = dato(utcnow()), dato(utcnow() - LONG_AGO)
    text = " ".join(soup(client.get("/min-profil")).select_one("main").get_text(" ").split())
    assert f"Sidst bekræftet af dig: {confirmed} · Sidst ændret: {today}" in text
    own = soup(client.get(f"/kontaktpersoner/{stale_contact}"))
    assert facts(own)["Sidst bekræftet af personen"] == confirmed
