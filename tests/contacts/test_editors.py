"""Editors create, invite, edit, deactivate and chase; admins erase; people export."""

import json
from datetime import timedelta
from urllib.parse import unquote

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.contacts.test_selfservice import form_values


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_editor_creates_and_invites_a_contact_who_sets_a_password_once(
    app, client, auth, make_user
):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    token = csrf_token(client, "/kontaktpersoner/ny")
    missing = client.post("/kontaktpersoner/ny", data={"csrf_token": token, "name": "Nina Ny"})
    assert missing.status_code == 400  # the form is about someone else, not the editor
    assert (
        soup(missing)
        .select_one("#email-fejl")
        .get_text(strip=True)
        .endswith("Skriv personens e-mailadresse.")
    )
    response = client.post(
        "/kontaktpersoner/ny",
        data={
            "csrf_token": token,
            "name": "Nina Ny",
            "administration": "BIF",
            "email": "nina@example.com",
            "phone": "30 12 34 56",
        },
    )
    assert response.status_code == 302  # then the link on a page of its own (issue 14 #5)
    link = soup(client.get(response.headers["Location"])).select_one("#handover-link")["value"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    auth.logout()
    form = soup(client.get("/" + path))
    assert "Velkommen, Nina Ny" in form.get_text()
    done = client.post(
        "/" + path,
        data={
            "csrf_token": form.select_one("input[name=csrf_token]")["value"],
            "password": "nyt-langt-kodeord",
            "repeat": "nyt-langt-kodeord",
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == "/min-profil"
    assert client.get("/min-profil").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    again = client.get("/" + path)
    assert again.status_code == 400 and "allerede brugt" in again.get_data(as_text=True)


def test_expired_or_forged_invitation_is_refused(app, client):
    assert "ikke gyldigt" in client.get("/invitation/forfalsket").get_data(as_text=True)


def test_editor_edits_any_profile_including_administration(
    client, auth, make_user, make_contact, get_profile
):
    pid = make_contact()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    data = form_values(client, f"/kontaktpersoner/{pid}/rediger")
    data.update(name="Omdøbt Person", administration="BIF", centre="", team="")  # SOF's centre
    assert client.post(f"/kontaktpersoner/{pid}/rediger", data=data).status_code == 302
    after = get_profile(pid)
    assert after["name"] == "Omdøbt Person" and after["administration"] == "BIF"
    history = soup(client.get(f"/kontaktpersoner/{pid}/historik")).get_text()
    assert "Omdøbt Person" in history and "red@example.com" in history


def test_editors_stale_list_with_prepared_reminder(app, client, auth, make_user, make_contact):
    fresh, old = make_contact(name="Frisk Person"), make_contact(name="Gammel Person")
    with app.app_context():
        db.session.get(ContactProfile, old).confirmed_at = utcnow() - timedelta(days=200)
        db.session.commit()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    page = soup(client.get("/kontaktpersoner/opfoelgning"))
    rows = [tr.select_one("td").get_text() for tr in page.select("tbody tr")]
    assert rows == ["Gammel Person"]
    mailto = page.select_one("a[href^='mailto:']")["href"]
    assert mailto.startswith("mailto:kontakt2@example.com?subject=")
    assert "Min profil" in unquote(mailto)
    assert fresh


def test_deactivation_keeps_history(app, client, auth, make_user, make_contact, get_profile):
    pid = make_contact()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    client.post(
        f"/kontaktpersoner/{pid}/deaktiver",
        data={"csrf_token": csrf_token(client, f"/kontaktpersoner/{pid}")},
    )
    assert client.get(f"/kontaktpersoner/{pid}").status_code == 404
    assert get_profile(pid) is not None  # kept, with its history
    history = client.get(f"/kontaktpersoner/{pid}/historik").get_data(as_text=True)
    assert "Deaktiveret" in history


def test_export_of_own_data(client, auth, make_contact, get_profile):
    pid = make_contact(name="Eva Eksport")
    auth.login(get_profile(pid)["user_email"])
    response = client.get("/min-profil/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["bruger"]["navn"] == "Eva Eksport" and "password_hash" not in json.dumps(data)
    assert data["profil"]["Telefon"] == "+4530123456"
    assert any(e["handling"] == "create" for e in data["historik"])


def test_admin_erases_a_person_and_pseudonymises_the_audit(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact(name="Slet Mig")
    email = get_profile(pid)["user_email"]
    auth.login(email)
    data = form_values(client)
    data["phone"] = "30 11 22 33"
    client.post("/min-profil", data=data)
    auth.logout()
    make_user("admin", email="admin@example.com")
    auth.login("admin@example.com")
    with app.app_context():
        from portal import search

        search.rebuild()
        assert search.search("Slet Mig").total == 1
    client.post(
        f"/kontaktpersoner/{pid}/slet",
        data={"csrf_token": csrf_token(client, f"/kontaktpersoner/{pid}"), "name": "Slet Mig"},
    )
    assert get_profile(pid) is None
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == email)) is None
        text = " ".join(
            f"{e.actor} {e.old_value} {e.new_value}"
            for e in db.session.scalars(sa.select(AuditEntry))
        )
        assert email not in text and "+4530112233" not in text and "Slet Mig" not in text
        assert "slettet-" in text
        assert search.search("Slet Mig").total == 0
    assert client.get("/kontaktpersoner/").status_code == 200


def test_editor_cannot_erase(client, auth, make_user, make_contact, get_profile):
    pid = make_contact()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    response = client.post(
        f"/kontaktpersoner/{pid}/slet",
        data={"csrf_token": csrf_token(client, f"/kontaktpersoner/{pid}")},
    )
    assert response.status_code == 403 and get_profile(pid) is not None
    assert PASSWORD
