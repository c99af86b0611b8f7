"""/admin/post for administrators only (the text only without a mail server), sending a failed
message again, each user's mail settings, and failures on Redaktion."""

from __future__ import annotations

import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.mail import preferences
from portal.transaction import transaction
from tests.conftest import csrf_token
from tests.mail.test_delivery import queue_one, rows


@pytest.fixture
def app_config(smtp):
    return smtp.config()


@pytest.fixture
def failed(app, smtp):
    """One message refused for good by the server."""
    smtp.recorder.refuse = "550 5.1.1 Ukendt modtager"
    with app.app_context(), transaction():
        queue_one("refused")
    smtp.recorder.refuse = None
    [row] = rows(app)
    assert row.status == "failed"
    return row


@pytest.mark.parametrize("role", [None, "staff", "contact", "editor"])
def test_only_administrators_see_the_outbox(client, auth, make_user, failed, role):
    if role:
        make_user(role, email=f"{role}@example.com")
        auth.login(f"{role}@example.com")
    for path in ("/admin/post", f"/admin/post/{failed.id}"):
        response = client.get(path)
        assert response.status_code in (302, 403)
        assert "Ny adgangskode" not in response.get_data(as_text=True)
    assert client.post(f"/admin/post/{failed.id}/send-igen", data={}).status_code in (
        302,
        400,
        403,
    )


def test_an_admin_sees_failures_and_sends_one_again(client, auth, make_user, failed, smtp, app):
    make_user("admin", email="admin@example.com")
    auth.login("admin@example.com")
    listing = client.get("/admin/post?status=failed").get_data(as_text=True)
    assert "Ny adgangskode til BIF-SOF Portalen" in listing and "550" in listing
    page = client.get(f"/admin/post/{failed.id}").get_data(as_text=True)
    assert "Hej Åse Ørum" not in page  # with a mail server the text stays out of view

    assert client.post(f"/admin/post/{failed.id}/send-igen", data={}).status_code == 400
    assert smtp.received == []  # no CSRF token: not sent again
    token = csrf_token(client, f"/admin/post/{failed.id}")
    client.post(f"/admin/post/{failed.id}/send-igen", data={"csrf_token": token})
    assert len(smtp.received) == 1 and rows(app)[0].status == "sent"


def test_without_a_mail_server_the_text_is_logged_and_shown_to_admins(
    app, client, auth, make_user, caplog
):
    app.config["MAIL_SERVER"] = ""
    make_user("admin", email="admin@example.com")
    with caplog.at_level("INFO", logger="portal.mail.delivery"), app.app_context(), transaction():
        queue_one()
    assert "Hej Åse Ørum" in caplog.text
    [row] = rows(app)
    assert row.status == "sent"
    auth.login("admin@example.com")
    page = client.get(f"/admin/post/{row.id}").get_data(as_text=True)
    assert "Hej Åse Ørum" in page and "https://portal.example/nulstil" in page
    assert "Der er ikke sat nogen mailserver op" in client.get("/admin/post").get_data(as_text=True)


def test_a_user_turns_optional_mail_off_and_on(client, auth, make_user, app):
    user = make_user("staff", email="s@example.com")
    assert client.get("/min-konto/e-mail").status_code == 302  # login first
    auth.login("s@example.com")
    page = client.get("/min-konto/e-mail").get_data(as_text=True)
    assert "Påmindelser om at bekræfte" in page and "invitationer" in page
    token = csrf_token(client, "/min-konto/e-mail")
    client.post("/min-konto/e-mail", data={"csrf_token": token, "news_digest": "y"})
    with app.app_context():
        found = db.session.get(User, user.id)
        assert preferences.chosen(found) == {
            "reminder": False,
            "review_digest": False,
            "news_digest": True,
        }
        assert preferences.wants(found, "reset")  # required kinds cannot be turned off
    client.post("/min-konto/e-mail", data={"news_digest": ""})  # no CSRF: nothing changes
    with app.app_context():
        assert preferences.chosen(db.session.get(User, user.id))["news_digest"] is True


def test_redaktion_lists_mail_that_could_not_be_sent(client, auth, make_user, failed):
    make_user("editor", email="e@example.com")
    auth.login("e@example.com")
    page = client.get("/redaktion").get_data(as_text=True)
    assert "E-mails, der ikke kunne sendes (1)" in page and "modtager@example.com" in page
