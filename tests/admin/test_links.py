"""One-time links an administrator hands over: an invitation (7 days) and a password reset
(1 hour). Each works once, expires, and is never made for a deactivated account."""

import itsdangerous.timed
import pytest

from tests.admin.conftest import shown_link
from tests.conftest import Auth, csrf_token

NEW_PASSWORD = "et-helt-nyt-kodeord-42"


@pytest.fixture
def later(monkeypatch):
    """Move the clock that checks the links' age forward by ``seconds``."""
    real = itsdangerous.timed.time.time

    def move(seconds: float) -> None:
        monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + seconds)

    return move


def reset_link_for(client, post, user_id: int) -> str:
    response = post(f"/admin/brugere/{user_id}/nulstil")
    assert response.status_code == 302
    return shown_link(client.get(response.headers["Location"]).get_data(as_text=True))


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    token = csrf_token(client, link)
    return client.post(link, data={"csrf_token": token, "password": password, "repeat": password})


def test_invited_user_chooses_a_password_once_and_logs_in(app, client, admin, post):
    response = post("/admin/brugere/ny", name="Eva Editor", email="eva@example.com", role="editor")
    link = shown_link(client.get(response.headers["Location"]).get_data(as_text=True))
    assert link.startswith("/invitation/")
    guest = app.test_client()
    assert "Velkommen, Eva Editor" in guest.get(link).get_data(as_text=True)
    done = choose_password(guest, link)
    assert done.status_code == 302
    assert guest.get("/redaktion").status_code == 200  # logged in, as an editor
    again = app.test_client().get(link)
    assert again.status_code == 400
    assert "allerede brugt" in again.get_data(as_text=True)
    # The admin's page no longer offers the used link.
    assert "handover-link" not in client.get(response.headers["Location"]).get_data(as_text=True)
    fresh = app.test_client()
    assert Auth(fresh).login("eva@example.com", NEW_PASSWORD).status_code == 302


def test_an_invitation_expires_after_7_days(app, client, admin, post, later):
    response = post("/admin/brugere/ny", name="Sen Bruger", email="sen@example.com", role="staff")
    link = shown_link(client.get(response.headers["Location"]).get_data(as_text=True))
    later(6 * 24 * 3600)
    assert app.test_client().get(link).status_code == 200
    later(7 * 24 * 3600 + 60)
    expired = app.test_client().get(link)
    assert expired.status_code == 400 and "udløbet" in expired.get_data(as_text=True)


def test_reset_link_works_once_and_ends_the_users_sessions(
    app, client, admin, make_user, post, audit_actions
):
    user = make_user("editor", email="glemsom@example.com")
    their_browser = app.test_client()
    Auth(their_browser).login("glemsom@example.com")
    link = reset_link_for(client, post, user.id)
    assert link.startswith("/nulstil-adgangskode/")
    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200 and "glemsom@example.com" in page.get_data(as_text=True)
    assert choose_password(guest, link).status_code == 302
    assert guest.get("/redaktion").status_code == 200
    assert their_browser.get("/redaktion").status_code == 302  # the old session ended
    used = app.test_client().get(link)
    assert used.status_code == 400
    assert "Linket virker ikke" in used.get_data(as_text=True)
    assert "allerede brugt" in used.get_data(as_text=True)
    assert Auth(app.test_client()).login("glemsom@example.com").status_code == 200  # old pw
    assert Auth(app.test_client()).login("glemsom@example.com", NEW_PASSWORD).status_code == 302
    assert "reset_link" in [a[0] for a in audit_actions()]


def test_a_reset_link_expires_after_an_hour(app, client, admin, make_user, post, later):
    user = make_user("staff")
    link = reset_link_for(client, post, user.id)
    later(59 * 60)
    assert app.test_client().get(link).status_code == 200
    later(61 * 60)
    expired = app.test_client().get(link)
    html = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "udløbet" in html and "en time" in html
    guest = app.test_client()
    data = {"csrf_token": csrf_token(guest, "/login"), "password": NEW_PASSWORD}
    assert guest.post(link, data={**data, "repeat": NEW_PASSWORD}).status_code == 400


def test_a_weak_password_is_refused_and_the_link_still_works(app, client, admin, make_user, post):
    user = make_user("staff")
    link = reset_link_for(client, post, user.id)
    guest = app.test_client()
    weak = choose_password(guest, link, "kort")
    assert weak.status_code == 400 and "mindst 12 tegn" in weak.get_data(as_text=True)
    assert guest.get(link).status_code == 200


def test_a_tampered_or_wrong_kind_of_link_is_refused(app, client, admin, make_user, post):
    user = make_user("staff")
    link = reset_link_for(client, post, user.id)
    token = link.rsplit("/", 1)[1]
    assert app.test_client().get(link + "x").status_code == 400
    assert app.test_client().get(f"/invitation/{token}").status_code == 400  # not an invite


def test_no_links_for_deactivated_users_nor_a_reset_for_oneself(
    app, client, admin, make_user, post, audit_actions
):
    user = make_user("staff")
    link = reset_link_for(client, post, user.id)
    post(f"/admin/brugere/{user.id}/deaktiver")
    assert app.test_client().get(link).status_code == 400  # handed out before: dead now
    post(f"/admin/brugere/{user.id}/genaktiver")
    assert app.test_client().get(link).status_code == 400  # and stays dead
    post(f"/admin/brugere/{user.id}/deaktiver")
    response = post(f"/admin/brugere/{user.id}/nulstil")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "er deaktiveret" in html and "handover-link" not in html
    invited = post("/admin/brugere/ny", name="Ikke Endnu", email="ikke@example.com", role="staff")
    invited_id = int(invited.headers["Location"].rsplit("/", 1)[1])
    post(f"/admin/brugere/{invited_id}/deaktiver")
    post(f"/admin/brugere/{invited_id}/invitation")
    assert "handover-link" not in client.get(invited.headers["Location"]).get_data(as_text=True)
    own = post(f"/admin/brugere/{admin.id}/nulstil")
    assert "Min konto" in client.get(own.headers["Location"]).get_data(as_text=True)
    assert [a for a in audit_actions() if a[0] == "reset_link"] == [
        ("reset_link", None, None, "admin@example.com")
    ]


def test_an_invitation_is_only_for_a_user_without_a_password(client, admin, make_user, post):
    user = make_user("staff")
    response = post(f"/admin/brugere/{user.id}/invitation")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "har allerede en adgangskode" in html and "handover-link" not in html


def test_reset_page_opens_without_login_even_when_reading_needs_it(app, make_user):
    app.config["PUBLIC_READ"] = False
    assert app.test_client().get("/nulstil-adgangskode/noget").status_code == 400
