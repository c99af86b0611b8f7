"""Min konto: a user changes their own password (the current one first; every other session
ends, this one stays) and logs out everywhere."""

from tests.conftest import PASSWORD, Auth, csrf_token

NEW = "mit-nye-kodeord-2026"


def change(client, current: str, new: str = NEW, repeat: str | None = None):
    token = csrf_token(client, "/min-konto/adgangskode")
    data = {"csrf_token": token, "current": current, "password": new, "repeat": repeat or new}
    return client.post("/min-konto/adgangskode", data=data)


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    app, client, auth, make_user, audit_actions
):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    other = app.test_client()
    Auth(other).login("red@example.com")
    response = change(client, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/min-konto"
    assert client.get("/redaktion").status_code == 200  # still logged in here
    assert other.get("/redaktion").status_code == 302  # the other browser is logged out
    assert Auth(app.test_client()).login("red@example.com", NEW).status_code == 302
    assert Auth(app.test_client()).login("red@example.com", PASSWORD).status_code == 200
    assert "set_password" in [a[0] for a in audit_actions()]


def test_a_wrong_current_password_changes_nothing(app, client, auth, make_user, audit_actions):
    make_user("staff", email="med@example.com")
    auth.login("med@example.com")
    response = change(client, "ikke-min-adgangskode")
    assert response.status_code == 200
    assert "Den nuværende adgangskode er forkert." in response.get_data(as_text=True)
    assert Auth(app.test_client()).login("med@example.com").status_code == 302
    assert "password_change_failed" in [a[0] for a in audit_actions()]


def test_guessing_the_current_password_is_throttled(app, client, auth, make_user):
    app.config["LOGIN_MAX_FAILURES"] = 2
    make_user("staff", email="med@example.com")
    auth.login("med@example.com")
    for _ in range(3):
        change(client, "ikke-min-adgangskode")
    response = change(client, PASSWORD)
    assert response.status_code == 429
    assert Auth(app.test_client()).login("med@example.com", NEW).status_code == 200  # unchanged


def test_weak_or_mismatched_new_password_is_refused(client, auth, make_user):
    make_user("staff", email="med@example.com")
    auth.login("med@example.com")
    weak = change(client, PASSWORD, "kort")
    assert weak.status_code == 400 and "mindst 12 tegn" in weak.get_data(as_text=True)
    mismatch = change(client, PASSWORD, NEW, NEW + "x")
    assert mismatch.status_code == 400
    assert "De to adgangskoder er ikke ens." in mismatch.get_data(as_text=True)


def test_log_out_everywhere(app, client, auth, make_user, audit_actions):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    other = app.test_client()
    Auth(other).login("red@example.com")
    page = client.get("/min-konto").get_data(as_text=True)
    assert "Log ud overalt" in page and "red@example.com" in page
    token = csrf_token(client, "/min-konto")
    response = client.post("/min-konto/log-ud-overalt", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/redaktion").status_code == 302
    assert other.get("/redaktion").status_code == 302
    assert "logout_everywhere" in [a[0] for a in audit_actions()]


def test_header_links_to_min_konto_for_logged_in_users(client, auth, make_user):
    assert "Min konto" not in client.get("/").get_data(as_text=True)
    make_user("staff", email="med@example.com")
    auth.login("med@example.com")
    assert 'href="/min-konto"' in client.get("/").get_data(as_text=True)
