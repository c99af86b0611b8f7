"""Issue 14 #2: deactivating and erasing a contact person each ask first on a page that says
what will happen, with danger styling; erasure also wants the person's full name typed.
Deactivated people are listed for the special unit and can be reactivated; every step is
audited."""

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal import search
from portal.audit import AuditEntry
from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.extensions import db
from tests.conftest import csrf_token
from tests.test_html_valid import check_html


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


@pytest.fixture
def editor(make_user, auth):
    user = make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")
    return user


@pytest.fixture
def admin(make_user, auth):
    user = make_user("admin", email="admin@example.com", name="Anna Admin")
    auth.login("admin@example.com")
    return user


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/"), **data})


def is_active(app, pid: int) -> bool:
    with app.app_context():
        return db.session.get(ContactProfile, pid).user.active


def found(app, name: str) -> int:
    with app.app_context():
        return search.search(name).total


def audit_rows(app, object_type: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEntry.action, AuditEntry.actor)
            .where(AuditEntry.object_type == object_type)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


# The profile page: destructive actions are links to a confirmation, never one-click forms


def test_the_profile_offers_destructive_actions_only_as_danger_links(client, make_contact, admin):
    pid = make_contact(name="Dorte Dansk")
    page = soup(client.get(f"/kontaktpersoner/{pid}"))
    for path in (f"/kontaktpersoner/{pid}/deaktiver", f"/kontaktpersoner/{pid}/slet"):
        assert page.select_one(f'form[action="{path}"]') is None  # no one-click POST
        link = page.select_one(f'a[href="{path}"]')
        assert link is not None and "button-danger" in link["class"]
    assert "Deaktivér Dorte Dansk" in page.get_text()
    assert "Slet Dorte Dansk helt" in page.get_text()


def test_the_danger_styles_are_in_the_stylesheet(client):
    with client.get("/static/css/portal.css") as response:
        css = response.get_data(as_text=True)
    assert ".button-danger" in css and ".danger-box" in css


# Deactivation


def test_deactivation_asks_first_and_says_what_will_happen(app, client, make_contact, editor):
    pid = make_contact(name="Dorte Dansk")
    response = client.get(f"/kontaktpersoner/{pid}/deaktiver")
    assert response.status_code == 200
    words = text(response)
    assert "Deaktivér Dorte Dansk?" in words
    assert "kontaktpersonlisten" in words and "søgningen" in words
    assert "logget ud" in words and "med det samme" in words
    assert "genaktivere" in words
    button = soup(response).select_one("main form button[type=submit]")
    assert "button-danger" in button["class"] and "Deaktivér Dorte Dansk" in button.get_text()
    cancel = soup(response).select_one(f"main form a[href='/kontaktpersoner/{pid}']")
    assert cancel.get_text() == "Fortryd"
    assert is_active(app, pid)  # a GET changes nothing


def test_deactivation_without_csrf_changes_nothing(app, client, make_contact, editor):
    pid = make_contact()
    response = client.post(f"/kontaktpersoner/{pid}/deaktiver", data={})
    assert response.status_code == 400 and is_active(app, pid)


def test_deactivate_list_and_reactivate_with_search_and_audit(app, client, make_contact, editor):
    pid = make_contact(name="Gunnar Genaktiv")
    with app.app_context():
        search.rebuild()
    assert found(app, "Gunnar Genaktiv") == 1

    response = post(client, f"/kontaktpersoner/{pid}/deaktiver")
    assert response.status_code == 302
    assert response.headers["Location"] == "/kontaktpersoner/deaktiverede"
    listing = client.get("/kontaktpersoner/deaktiverede")
    assert listing.status_code == 200
    assert "Gunnar Genaktiv er deaktiveret" in text(listing)  # the flash after the redirect
    rows = [tr for tr in soup(listing).select("tbody tr") if "Gunnar Genaktiv" in tr.get_text()]
    assert len(rows) == 1
    assert not is_active(app, pid)
    assert client.get(f"/kontaktpersoner/{pid}").status_code == 404
    assert "Gunnar Genaktiv" not in text(client.get("/kontaktpersoner/"))
    assert found(app, "Gunnar Genaktiv") == 0
    assert "red@example.com" in rows[0].get_text()  # who deactivated
    form = rows[0].select_one("form")
    assert form["action"] == f"/kontaktpersoner/{pid}/genaktiver"
    assert "Genaktivér Gunnar Genaktiv" in form.get_text()

    response = post(client, f"/kontaktpersoner/{pid}/genaktiver")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kontaktpersoner/{pid}"
    assert is_active(app, pid)
    assert "er genaktiveret" in text(client.get(response.headers["Location"]))
    assert "Gunnar Genaktiv" in text(client.get("/kontaktpersoner/"))
    assert found(app, "Gunnar Genaktiv") == 1
    assert "Gunnar Genaktiv" not in text(client.get("/kontaktpersoner/deaktiverede"))

    assert audit_rows(app, "contact") == [
        ("create", "system"),
        ("deactivate", "red@example.com"),
        ("reactivate", "red@example.com"),
    ]
    assert [a for a in audit_rows(app, "user") if a[0].endswith("activate")] == [
        ("deactivate", "red@example.com"),
        ("reactivate", "red@example.com"),
    ]
    history = text(client.get(f"/kontaktpersoner/{pid}/historik"))
    assert "Deaktiveret" in history and "Genaktiveret" in history


def test_reactivation_needs_csrf(app, client, make_contact, editor):
    pid = make_contact()
    post(client, f"/kontaktpersoner/{pid}/deaktiver")
    assert client.post(f"/kontaktpersoner/{pid}/genaktiver", data={}).status_code == 400
    assert not is_active(app, pid)


def test_the_deactivated_list_is_linked_from_the_editors_pages(client, editor):
    page = soup(client.get("/redaktion"))
    assert page.select_one('a[href="/kontaktpersoner/deaktiverede"]') is not None
    empty = client.get("/kontaktpersoner/deaktiverede")
    assert "Ingen kontaktpersoner er deaktiveret." in text(empty)


def test_a_login_with_editor_rights_is_administered_under_users(app, client, make_contact, editor):
    """Through the directory an editor must not lock out (or bring back) an editor or an
    administrator: those logins are administered under Brugere, with its rules."""
    pid = make_contact(name="Ebbe Redaktør")
    with app.app_context():
        db.session.get(ContactProfile, pid).user.role = "admin"
        db.session.commit()
    page = client.get(f"/kontaktpersoner/{pid}/deaktiver")
    assert page.status_code == 302
    assert "administreres under Brugere" in text(client.get(page.headers["Location"]))
    post(client, f"/kontaktpersoner/{pid}/deaktiver")
    assert is_active(app, pid)
    with app.app_context():
        db.session.get(ContactProfile, pid).user.active = False
        db.session.commit()
    listing = soup(client.get("/kontaktpersoner/deaktiverede"))
    assert listing.select_one(f'form[action="/kontaktpersoner/{pid}/genaktiver"]') is None
    assert "administreres under Brugere" in listing.get_text()
    post(client, f"/kontaktpersoner/{pid}/genaktiver")
    assert not is_active(app, pid)


# Erasure


ERASE_FACTS = [
    "Profilen",  # profile, photo, areas
    "foto",
    "login",
    "kan ikke fortrydes",
    "[slettet]",  # what the history keeps
    "pseudonym",
    "tilmeldinger",
    "arrangør",
]


def test_erasure_asks_for_the_full_name_and_says_what_will_happen(
    app, client, make_contact, get_profile, admin
):
    pid = make_contact(name="Slet Mig Nielsen")
    response = client.get(f"/kontaktpersoner/{pid}/slet")
    assert response.status_code == 200
    words = text(response)
    for fact in ERASE_FACTS:
        assert fact in words, fact
    page = soup(response)
    name_input = page.select_one("input[name=name]")
    assert name_input is not None and name_input.get("value") in (None, "")
    assert page.select_one(f"label[for={name_input['id']}]") is not None
    button = page.select_one("main form button[type=submit]")
    assert "button-danger" in button["class"]
    assert "Slet Slet Mig Nielsen for altid" in button.get_text()
    assert get_profile(pid) is not None


@pytest.mark.parametrize(
    "typed", ["", "Slet Mig", "Slet Mig Nielsen x", "Mig Slet Nielsen", "Slet Mig Nielsen" * 20]
)
def test_a_wrong_name_erases_nothing(app, client, make_contact, get_profile, admin, typed):
    pid = make_contact(name="Slet Mig Nielsen")
    response = post(client, f"/kontaktpersoner/{pid}/slet", name=typed)
    assert response.status_code == 400
    page = soup(response)
    error = page.select_one(".field-error")
    assert error is not None and "navn" in error.get_text()
    assert page.select_one("input[name=name]").get("value", "") == typed  # kept
    assert get_profile(pid) is not None
    assert ("erase", "admin@example.com") not in audit_rows(app, "contact")


def test_the_name_is_compared_without_case_or_extra_spaces(
    app, client, make_contact, get_profile, admin
):
    pid = make_contact(name="Åse Ørum Nielsen")
    with app.app_context():
        email = db.session.get(ContactProfile, pid).user.email
    response = post(client, f"/kontaktpersoner/{pid}/slet", name="  åse   ØRUM\tnielsen ")
    assert response.status_code == 302 and response.headers["Location"] == "/kontaktpersoner/"
    assert get_profile(pid) is None
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == email)) is None
    assert ("erase", "admin@example.com") in audit_rows(app, "contact")
    assert "slettet" in text(client.get("/kontaktpersoner/"))


def test_a_deactivated_person_can_be_erased_from_the_list(
    app, client, make_contact, get_profile, admin
):
    pid = make_contact(name="Ulla Udmeldt")
    post(client, f"/kontaktpersoner/{pid}/deaktiver")
    listing = soup(client.get("/kontaktpersoner/deaktiverede"))
    link = listing.select_one(f'a[href="/kontaktpersoner/{pid}/slet"]')
    assert link is not None and "button-danger" in link["class"]
    assert client.get(f"/kontaktpersoner/{pid}/slet").status_code == 200
    assert post(client, f"/kontaktpersoner/{pid}/slet", name="ulla udmeldt").status_code == 302
    assert get_profile(pid) is None


def test_editors_see_no_erase_link_and_cannot_erase(client, make_contact, get_profile, editor):
    pid = make_contact(name="Bliver Her")
    assert client.get(f"/kontaktpersoner/{pid}/slet").status_code == 403
    post(client, f"/kontaktpersoner/{pid}/deaktiver")
    listing = soup(client.get("/kontaktpersoner/deaktiverede"))
    assert listing.select_one(f'a[href="/kontaktpersoner/{pid}/slet"]') is None
    assert post(client, f"/kontaktpersoner/{pid}/slet", name="Bliver Her").status_code == 403
    assert get_profile(pid) is not None


def test_an_admin_cannot_erase_a_login_with_editor_rights(
    app, client, make_contact, get_profile, admin
):
    pid = make_contact(name="Ida Redaktør")
    with app.app_context():
        db.session.get(ContactProfile, pid).user.role = "editor"
        db.session.commit()
    response = post(client, f"/kontaktpersoner/{pid}/slet", name="Ida Redaktør")
    assert response.status_code == 302
    assert "administreres under Brugere" in text(client.get(response.headers["Location"]))
    assert get_profile(pid) is not None


# Valid HTML


def test_the_new_pages_are_valid_html(app, client, make_contact, admin, vnu, tmp_path):
    pid = make_contact(name="Valid Person")
    gone = make_contact(name="Deaktiveret Person")
    pages = {
        "deaktiver": client.get(f"/kontaktpersoner/{pid}/deaktiver").get_data(as_text=True),
        "slet": client.get(f"/kontaktpersoner/{pid}/slet").get_data(as_text=True),
        "slet med fejl": post(client, f"/kontaktpersoner/{pid}/slet", name="forkert").get_data(
            as_text=True
        ),
        "tom liste": client.get("/kontaktpersoner/deaktiverede").get_data(as_text=True),
    }
    post(client, f"/kontaktpersoner/{gone}/deaktiver")
    pages["liste"] = client.get("/kontaktpersoner/deaktiverede").get_data(as_text=True)
    pages["profil"] = client.get(f"/kontaktpersoner/{pid}").get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
