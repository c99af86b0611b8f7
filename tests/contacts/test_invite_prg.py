"""Issue 14 #5: creating a contact person (and "Lav invitationslink") answers with a redirect
to a page that shows the invitation link, so a reload neither resubmits nor loses it. The link
is made again from its audit entry (as on an administrator's user page), never stored, and is
shown to the special unit until it is used or expires. The invitation page welcomes each role
with a text that fits it."""

import itsdangerous.timed
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.auth.models import User
from portal.contacts import units
from portal.contacts.models import ContactProfile
from portal.extensions import db
from tests.conftest import Auth, csrf_token
from tests.test_html_valid import check_html

NEW_PASSWORD = "et-helt-nyt-kodeord-42"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(response) -> str:
    """The words of the page's main content (not the header's menu)."""
    return " ".join(soup(response).select_one("main").get_text(" ").split())


def shown_link(response) -> str | None:
    """The invitation link on a page, as a path; None if the page shows none."""
    field = soup(response).select_one("#handover-link")
    return None if field is None else "/" + field["value"].split("/", 3)[3]


@pytest.fixture
def editor(make_user, auth):
    user = make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")
    return user


@pytest.fixture
def later(monkeypatch):
    real = itsdangerous.timed.time.time

    def move(seconds: float) -> None:
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + seconds)

    return move


def create(client, name="Nina Ny", email="nina@example.com"):
    with client.application.app_context():
        centre, _ = units.ensure("BIF", "Jobcenter København")  # chosen from the list
        db.session.commit()
        centre_id = str(centre.id)
    return client.post(
        "/kontaktpersoner/ny",
        data={
            "csrf_token": csrf_token(client, "/kontaktpersoner/ny"),
            "name": name,
            "administration": "BIF",
            "email": email,
            "centre": centre_id,
        },
    )


def profile_id(app, email: str) -> int:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        return db.session.scalar(
            sa.select(ContactProfile.id).where(ContactProfile.user_id == user.id)
        )


def accept(client, link: str, password: str = NEW_PASSWORD):
    token = csrf_token(client, link)
    return client.post(link, data={"csrf_token": token, "password": password, "repeat": password})


def test_creating_redirects_to_a_page_that_keeps_showing_the_link(app, client, editor):
    response = create(client)
    pid = profile_id(app, "nina@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kontaktpersoner/{pid}/invitation"
    page = client.get(response.headers["Location"])
    link = shown_link(page)
    assert link is not None and link.startswith("/invitation/")
    assert "Nina Ny er oprettet" in text(page)
    mailto = soup(page).select_one("a[href^='mailto:nina@example.com']")
    assert mailto is not None and link.split("/")[-1] in mailto["href"]
    # A reload shows the same link and creates nobody.
    assert shown_link(client.get(response.headers["Location"])) == link
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    # The profile leads to it.
    profile = soup(client.get(f"/kontaktpersoner/{pid}"))
    assert profile.select_one(f'a[href="/kontaktpersoner/{pid}/invitation"]') is not None


def test_the_token_is_not_stored_in_the_database(app, client, editor):
    response = create(client)
    token = shown_link(client.get(response.headers["Location"])).rsplit("/", 1)[1]
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                assert not any(isinstance(v, str) and token in v for v in row), table.name


def test_the_link_is_shown_until_it_is_used(app, client, editor):
    location = create(client).headers["Location"]
    link = shown_link(client.get(location))
    guest = app.test_client()
    assert accept(guest, link).status_code == 302
    page = client.get(location)
    assert shown_link(page) is None
    assert "Nina Ny har valgt sin adgangskode" in text(page)
    assert soup(page).select_one("form[action$='/inviter']") is None  # nothing to make


def test_the_link_is_shown_until_it_expires(app, client, auth, editor, later):
    location = create(client).headers["Location"]
    later(6 * 24 * 3600)
    auth.login("red@example.com")  # the editor's session has long ended: a new one
    assert shown_link(client.get(location)) is not None
    later(7 * 24 * 3600 + 60)
    auth.login("red@example.com")
    page = client.get(location)
    assert page.status_code == 200 and shown_link(page) is None
    assert soup(page).select_one("form[action$='/inviter'] button") is not None


def test_a_new_link_is_made_by_post_and_shown_after_a_redirect(app, client, editor):
    location = create(client).headers["Location"]
    pid = profile_id(app, "nina@example.com")
    first = shown_link(client.get(location))
    response = client.post(
        f"/kontaktpersoner/{pid}/inviter", data={"csrf_token": csrf_token(client, location)}
    )
    assert response.status_code == 302 and response.headers["Location"] == location
    second = shown_link(client.get(location))
    assert second is not None
    assert accept(app.test_client(), second).status_code == 302  # the new one works
    assert app.test_client().get(first).status_code == 400  # and then the old one is used up
    with app.app_context():
        invites = db.session.scalars(
            sa.select(AuditEntry.actor).where(AuditEntry.action == "invite")
        ).all()
    assert invites == ["red@example.com", "red@example.com"]


def test_every_editor_sees_the_latest_link(app, client, editor, make_user):
    location = create(client).headers["Location"]
    link = shown_link(client.get(location))
    other = app.test_client()
    make_user("editor", email="anden@example.com")
    Auth(other).login("anden@example.com")
    assert shown_link(other.get(location)) == link


def test_administrators_see_the_same_link_on_the_users_page(app, client, editor, make_user):
    """One mechanism: the link an editor made is the one an administrator's page shows."""
    location = create(client).headers["Location"]
    link = shown_link(client.get(location))
    admin = app.test_client()
    make_user("admin", email="admin@example.com")
    Auth(admin).login("admin@example.com")
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == "nina@example.com"))
    assert shown_link(admin.get(f"/admin/brugere/{user_id}")) == link


def test_a_link_made_again_at_its_time_is_the_same_link(app, editor):
    from portal.auth import handover, links

    with app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.email == "red@example.com"))
        user.password_hash = None  # as if invited
        first = handover.invitation(user, user)
        again = handover.kept(user)
        assert again is not None and again.url.endswith("/invitation/" + first)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invite"))
        assert links.make(user, links.INVITATION, user, at=entry.at) == first
        db.session.rollback()


def test_no_invitation_for_a_login_with_editor_rights(app, client, editor, make_user):
    """An editor must not be able to choose the first password of an administrator's login."""
    location = create(client).headers["Location"]
    pid = profile_id(app, "nina@example.com")
    with app.app_context():
        db.session.get(ContactProfile, pid).user.role = "admin"
        db.session.commit()
    other = app.test_client()
    make_user("editor", email="anden@example.com")
    Auth(other).login("anden@example.com")
    response = other.post(
        f"/kontaktpersoner/{pid}/inviter", data={"csrf_token": csrf_token(other, location)}
    )
    page = other.get(response.headers["Location"])
    assert shown_link(page) is None and "administreres under Brugere" in text(page)
    with app.app_context():
        invites = db.session.scalars(
            sa.select(AuditEntry.actor).where(AuditEntry.action == "invite")
        ).all()
    assert invites == ["red@example.com"]  # only the one made when the contact was created


def test_a_bad_create_form_is_answered_with_its_errors_not_a_redirect(app, client, editor):
    response = create(client, email="ikke en mail")
    assert response.status_code == 400
    assert soup(response).select_one("#handover-link") is None
    assert soup(response).select_one("#name")["value"] == "Nina Ny"


# The invitation page fits the role


@pytest.mark.parametrize(
    ("role", "welcome", "after"),
    [
        ("staff", "som medarbejder", "/"),
        ("editor", "som redaktør", "/redaktion"),
        ("admin", "som administrator", "/admin/brugere"),
    ],
)
def test_a_user_invited_by_an_admin_is_welcomed_in_their_role(
    app, client, make_user, role, welcome, after
):
    make_user("admin", email="admin@example.com")
    Auth(client).login("admin@example.com")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "csrf_token": csrf_token(client, "/admin/brugere/ny"),
            "name": "Ny Bruger",
            "email": "ny@example.com",
            "role": role,
        },
    )
    link = shown_link(client.get(response.headers["Location"]))
    guest = app.test_client()
    page = text(guest.get(link))
    assert "Velkommen, Ny Bruger" in page and welcome in page
    assert "BIF-SOF-kontaktperson" not in page and "Min profil" not in page
    done = accept(guest, link)
    assert done.status_code == 302 and done.headers["Location"] == after
    assert "Din adgangskode er gemt" in text(guest.get(after))


def test_someone_logged_in_who_opens_the_link_is_told_whose_it_is(app, client, editor):
    link = shown_link(client.get(create(client).headers["Location"]))
    warning = "Du er logget ind som Rita Redaktør. Linket er til Nina Ny"
    assert warning in text(client.get(link))  # the editor checking the link they hand over
    assert "Du er logget ind som" not in text(app.test_client().get(link))  # Nina herself


def test_a_contact_person_is_welcomed_to_their_profile(app, client, editor):
    link = shown_link(client.get(create(client).headers["Location"]))
    guest = app.test_client()
    page = text(guest.get(link))
    assert "Velkommen, Nina Ny" in page and "som BIF-SOF-kontaktperson" in page
    assert "Min profil" in page
    done = accept(guest, link)
    assert done.headers["Location"] == "/min-profil"
    # the session a password login starts: it lasts as long, also past the browser's closing
    assert "Expires=" in done.headers["Set-Cookie"]
    assert "Tjek nu din profil" in text(guest.get("/min-profil"))


def test_a_contact_login_without_a_profile_is_not_sent_to_a_missing_profile(app, client, make_user):
    make_user("admin", email="admin@example.com")
    Auth(client).login("admin@example.com")
    response = client.post(
        "/admin/brugere/ny",
        data={
            "csrf_token": csrf_token(client, "/admin/brugere/ny"),
            "name": "Uden Profil",
            "email": "uden@example.com",
            "role": "contact",
        },
    )
    link = shown_link(client.get(response.headers["Location"]))
    guest = app.test_client()
    page = text(guest.get(link))
    assert "som kontaktperson" in page and "Min profil" not in page
    assert accept(guest, link).headers["Location"] == "/"


def test_the_pages_are_valid_html(app, client, editor, vnu, tmp_path):
    location = create(client).headers["Location"]
    pages = {"med link": client.get(location).get_data(as_text=True)}
    link = shown_link(client.get(location))
    pages["velkommen"] = app.test_client().get(link).get_data(as_text=True)
    pages["velkommen, set af redaktøren"] = client.get(link).get_data(as_text=True)
    accept(app.test_client(), link)
    pages["uden link"] = client.get(location).get_data(as_text=True)
    pages["ugyldigt link"] = app.test_client().get(link).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
