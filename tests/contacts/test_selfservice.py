"""/min-profil: the person's own profile, validation, conflicts, audit, confirmation."""

from datetime import timedelta

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from tests.conftest import csrf_token


def form_values(client, path="/min-profil", html: str | None = None) -> dict:
    """The form's fields as the browser would send them, from ``html`` or the page at ``path``."""
    page = BeautifulSoup(html or client.get(path).get_data(as_text=True), "html.parser")
    form = page.select("main form")[-1]
    values = {
        i["name"]: i.get("value", "")
        for i in form.select("input[name]")
        if i.get("type") not in ("file", "checkbox")
    }
    values.update({t["name"]: t.get_text() for t in form.select("textarea")})
    values.update(
        {
            s["name"]: (s.select_one("option[selected]") or s.select_one("option"))["value"]
            for s in form.select("select")
        }
    )
    return values


def login_as(auth, get_profile, pid):
    auth.login(get_profile(pid)["user_email"])


def test_contact_edits_own_profile_and_every_change_is_audited(
    app, client, auth, make_contact, get_profile
):
    pid = make_contact(name="Kim Kontakt")
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(phone="+45 30 99 88 77", job_title="Ny titel", areas="misbrug, grøn linie")
    response = client.post("/min-profil", data=data)
    assert response.status_code == 302
    after = get_profile(pid)
    assert after["phone"] == "+4530998877" and after["job_title"] == "Ny titel"
    assert after["areas"] == ["grøn linie", "misbrug"] and after["version"] == 2
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.object_type == "contact", AuditEntry.action == "update"
            )
        ).all()
        changes = {(e.field, e.old_value, e.new_value) for e in entries}
        assert ("phone", "+4530123456", "+4530998877") in changes
        assert ("job_title", "", "Ny titel") in changes
        assert all(e.actor == after["user_email"] for e in entries)
    history = client.get("/min-profil/historik").get_data(as_text=True)
    assert "+45 30 99 88 77" in history and "Telefon" in history


def test_validation_messages_are_danish_and_nothing_is_saved(
    client, auth, make_contact, get_profile
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(email="ikke-en-mail", phone="12", job_title="x" * 121, about="CPR 010203-1234")
    response = client.post("/min-profil", data=data)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    errors = {p["id"]: p.get_text(strip=True) for p in page.select(".field-error")}
    assert "gyldig e-mailadresse" in errors["email-fejl"]
    assert "dansk telefonnummer med 8 cifre" in errors["phone-fejl"]
    assert "højst være 120 tegn" in errors["job_title-fejl"]
    assert "CPR-nummer" in errors["about-fejl"]
    assert page.select_one("#job_title")["value"] == "x" * 121  # the input stays
    assert get_profile(pid)["version"] == 1


def test_mass_assignment_changes_nothing(client, auth, make_contact, get_profile):
    pid, other = make_contact(), make_contact(name="Anden Person")
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(
        role="admin",
        administration="BIF",
        name="Hacker",
        user_id=str(other),
        id=str(other),
        job_title="Ny titel",
    )
    assert client.post("/min-profil", data=data).status_code == 302
    me, them = get_profile(pid), get_profile(other)
    assert me["role"] == "contact" and me["administration"] == "SOF" and me["name"] == "Test Person"
    assert me["job_title"] == "Ny titel"
    assert them["job_title"] == "" and them["version"] == 1


def test_contact_cannot_change_someone_else(client, auth, make_contact, get_profile):
    pid, other = make_contact(), make_contact(name="Anden Person")
    login_as(auth, get_profile, pid)
    token = csrf_token(client, "/min-profil")
    for path in (f"/kontaktpersoner/{other}/rediger", f"/kontaktpersoner/{other}/deaktiver"):
        response = client.post(path, data={"csrf_token": token, "team": "Overtaget"})
        assert response.status_code == 403
    assert get_profile(other)["team"] == "Team A"


def test_staff_and_anonymous_cannot_reach_self_service(app, client, auth, make_user):
    assert client.get("/min-profil").status_code == 302
    make_user("staff", email="s@example.com")
    auth.login("s@example.com")
    assert client.get("/min-profil").status_code == 403


def saved_meanwhile(app, pid: int, job_title: str) -> None:
    """Another save of the profile after a form was opened at version 1."""
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        profile.job_title, profile.version = job_title, 2
        db.session.commit()


def test_stale_version_is_refused_and_nothing_is_overwritten(
    app, client, auth, make_contact, get_profile
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    mine = form_values(client)  # loaded at version 1
    saved_meanwhile(app, pid, "Andens ændring")  # by someone else
    mine.update(job_title="Min ændring")
    response = client.post("/min-profil", data=mine)
    assert response.status_code == 409
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "ændret af en anden, siden du åbnede" in page.select_one(".error-summary").get_text()
    assert page.select_one("#job_title")["value"] == "Min ændring"
    assert get_profile(pid)["job_title"] == "Andens ændring"
    # "gem igen", as the message says: the form sent back now holds the version it was shown
    again = client.post("/min-profil", data=form_values(client, html=str(page)))
    assert again.status_code == 302
    assert get_profile(pid)["job_title"] == "Min ændring"


def test_a_confirmation_that_met_a_save_can_be_saved_from_the_page_it_gets(
    app, client, auth, make_contact, get_profile
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    mine = form_values(client)  # loaded at version 1
    saved_meanwhile(app, pid, "Redaktørens titel")  # by an editor
    response = client.post("/min-profil/bekraeft", data=mine)  # "stadig korrekte"
    assert response.status_code == 409
    again = client.post(
        "/min-profil", data=form_values(client, html=response.get_data(as_text=True))
    )
    assert again.status_code == 302  # saved what the page showed and the person sent again
    assert get_profile(pid)["version"] == 3


def test_confirm_without_change_and_the_stale_banner(app, client, auth, make_contact, get_profile):
    pid = make_contact()
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = utcnow() - timedelta(days=181)
        db.session.commit()
    login_as(auth, get_profile, pid)
    assert "Er dine oplysninger stadig korrekte?" in client.get("/min-profil").get_data(
        as_text=True
    )
    directory = client.get("/kontaktpersoner/").get_data(as_text=True)
    assert "ikke bekræftet af personen" in directory
    before = get_profile(pid)
    client.post("/min-profil/bekraeft", data=form_values(client))
    after = get_profile(pid)
    assert after["confirmed_at"] > before["confirmed_at"] and after["version"] == 1
    assert "Er dine oplysninger stadig korrekte?" not in client.get("/min-profil").get_data(
        as_text=True
    )


def test_stale_limit_comes_from_configuration(app, client, auth, make_contact, get_profile):
    app.config["PROFILE_STALE_DAYS"] = 10
    pid = make_contact()
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = utcnow() - timedelta(days=11)
        db.session.commit()
    login_as(auth, get_profile, pid)
    assert "Er dine oplysninger stadig korrekte?" in client.get("/min-profil").get_data(
        as_text=True
    )
