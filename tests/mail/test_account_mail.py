"""Invitations and password resets reach the person by mail; /glemt-adgangskode sends a reset
link without telling anyone whether an address has an account."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.extensions import db
from portal.mail.models import MailMessage
from tests.conftest import csrf_token

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def app_config(smtp):
    return smtp.config()


def link_in(message) -> str:
    """The one link in the text that is not the portal's front page."""
    text = message.get_body(("plain",)).get_content()
    [link] = [u for u in LINK.findall(text) if urlsplit(u).path not in ("", "/")]
    return link


def forgot(client, email: str):
    token = csrf_token(client, "/glemt-adgangskode")
    return client.post("/glemt-adgangskode", data={"email": email, "csrf_token": token})


def test_a_new_user_gets_the_invitation_by_mail_and_it_works(client, auth, make_user, smtp):
    make_user("admin", email="admin@example.com", name="Anna Admin")
    auth.login("admin@example.com")
    token = csrf_token(client, "/admin/brugere/ny")
    client.post(
        "/admin/brugere/ny",
        data={
            "name": "Ny Redaktør",
            "email": "ny@example.com",
            "role": "editor",
            "csrf_token": token,
        },
    )
    [message] = smtp.received
    assert message["To"].addresses[0].addr_spec == "ny@example.com"
    assert message["Subject"] == "Din konto på BIF-SOF Portalen"
    assert "Anna Admin har oprettet en konto til dig" in message.get_body(("plain",)).get_content()
    url = urlsplit(link_in(message))
    auth.logout()
    page = client.get(url.path)
    assert page.status_code == 200 and "Ny Redaktør" in page.get_data(as_text=True)


def test_forgot_password_mails_a_working_reset_link_once_per_window(client, make_user, smtp):
    make_user("staff", email="glemsom@example.com", name="Glen Glemsom")
    response = forgot(client, "Glemsom@Example.com")
    assert "Tjek din e-mail" in response.get_data(as_text=True)
    forgot(client, "glemsom@example.com")  # pressed again: no second mail
    [message] = smtp.received
    assert message["Subject"] == "Ny adgangskode til BIF-SOF Portalen"
    path = urlsplit(link_in(message)).path
    assert path.startswith("/nulstil-adgangskode/")
    token = csrf_token(client, path)
    done = client.post(
        path,
        data={
            "password": "en-helt-ny-kode-123",
            "repeat": "en-helt-ny-kode-123",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302
    again = client.get(path)  # used once: it no longer works
    assert again.status_code == 400 and "allerede brugt" in again.get_data(as_text=True)


def test_forgot_password_answers_the_same_for_unknown_and_deactivated_addresses(
    app, client, make_user, smtp
):
    from portal.auth import services
    from portal.auth.models import User

    user = make_user("staff", email="gammel@example.com")
    with app.app_context():
        services.deactivate_user(db.session.get(User, user.id), None)
        db.session.commit()
    known = forgot(client, "gammel@example.com").get_data(as_text=True)
    unknown = forgot(client, "findes.ikke@example.com").get_data(as_text=True)
    assert known.replace("gammel", "X") == unknown.replace("findes.ikke", "X")
    assert smtp.received == []


def test_forgot_password_refuses_an_empty_form_in_danish(client, smtp):
    response = forgot(client, "")
    assert response.status_code == 400
    assert "Skriv din e-mailadresse." in response.get_data(as_text=True)


def test_forgot_password_without_csrf_changes_nothing(app, client, make_user, smtp):
    make_user("staff", email="glemsom@example.com")
    response = client.post("/glemt-adgangskode", data={"email": "glemsom@example.com"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage)) == 0
    assert smtp.received == []


def test_a_user_without_a_password_gets_a_new_invitation_instead(app, client, smtp):
    from portal.auth import services

    with app.app_context():
        services.create_user("uden@example.com", "Uden Kode", "staff", None)
        db.session.commit()
    forgot(client, "uden@example.com")
    [message] = smtp.received
    assert message["Subject"] == "Din konto på BIF-SOF Portalen"
    assert client.get(urlsplit(link_in(message)).path).status_code == 200
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "invite" in actions


def test_an_admins_reset_link_is_mailed_to_the_user_too(app, client, auth, make_user, smtp):
    make_user("admin", email="admin@example.com", name="Anna Admin")
    user = make_user("staff", email="bruger@example.com")
    auth.login("admin@example.com")
    token = csrf_token(client, f"/admin/brugere/{user.id}")
    client.post(f"/admin/brugere/{user.id}/nulstil", data={"csrf_token": token})
    [message] = smtp.received
    assert message["To"].addresses[0].addr_spec == "bruger@example.com"
    path = urlsplit(link_in(message)).path
    assert path.startswith("/nulstil-adgangskode/")
    assert app.test_client().get(path).status_code == 200


def test_a_queued_link_is_not_stored_and_not_sent_once_used(app, client, make_user, smtp):
    """The outbox holds no one-time link (a copy of the database gives no one a link); one
    that was used before the mail went out is not sent."""
    from portal.auth import services
    from portal.auth.models import User

    user = make_user("staff", email="glemsom@example.com")
    smtp.stop()  # the relay is away: the mail waits in the outbox
    forgot(client, "glemsom@example.com")
    with app.app_context():
        [row] = db.session.scalars(sa.select(MailMessage)).all()
        assert row.status == "pending" and "/nulstil-adgangskode/" not in row.body_text
        found = db.session.get(User, user.id)
        services.set_password(found, "en-anden-ny-kode-456")  # e.g. through an admin's link
        db.session.commit()
        row.next_attempt_at = row.created_at
        db.session.commit()
    smtp.start()
    app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert smtp.received == []
    with app.app_context():
        [row] = db.session.scalars(sa.select(MailMessage)).all()
        assert row.status == "failed" and "allerede brugt" in row.last_error
