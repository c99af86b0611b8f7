"""Login, logout, revocable sessions, throttling, CSRF, safe redirects, password hashing."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import extract_parameters

from portal.audit import AuditEntry
from portal.auth import services
from portal.auth.models import LoginThrottle, User
from portal.extensions import db
from portal.security import Role, role_required
from tests.conftest import PASSWORD, Auth, csrf_token

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app_config():
    return {"LOGIN_MAX_FAILURES": 3}


@pytest.fixture
def protected(app):
    """A page only logged-in users may see, to tell a live session from a dead one."""

    @app.get("/_test/kun-editor")
    @role_required(Role.EDITOR)
    def editor_only():
        return "redaktørside"

    return "/_test/kun-editor"


def test_password_hash_is_argon2id_at_owasp_strength(make_user):
    user = make_user()
    params = extract_parameters(user.password_hash)
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2


def test_login_and_logout(client, auth, make_user, protected):
    make_user("editor", email="red@example.com")
    response = auth.login("red@example.com")
    assert response.status_code == 302
    assert client.get(protected).get_data(as_text=True) == "redaktørside"
    auth.logout()
    response = client.get(protected)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_user_and_wrong_password_get_the_same_answer(client, auth, make_user):
    make_user(email="kendt@example.com")
    wrong = auth.login("kendt@example.com", "forkert-adgangskode")
    unknown = auth.login("ukendt@example.com", "forkert-adgangskode")
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "E-mail eller adgangskode er forkert." in response.get_data(as_text=True)


def test_logout_is_post_only(client, auth, make_user):
    make_user(email="a@example.com")
    auth.login("a@example.com")
    assert client.get("/logout").status_code == 405


def test_post_without_csrf_token_is_refused(app, client, make_user):
    make_user(email="a@example.com")
    response = client.post("/login", data={"email": "a@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "sikkerhedsfelt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(User.last_login_at)) is None


def test_session_cookie_replayed_after_logout_is_refused(app, client, auth, make_user, protected):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    captured = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", captured)
    response = thief.get(protected)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_the_users_sessions_in_every_browser(app, auth, make_user, protected):
    make_user("editor", email="red@example.com")
    other = app.test_client()
    token = csrf_token(other)
    other.post(
        "/login", data={"email": "red@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert other.get(protected).status_code == 200
    auth.login("red@example.com")
    auth.logout()
    assert other.get(protected).status_code == 302


def test_deactivation_ends_sessions_and_blocks_login(app, client, auth, make_user, protected):
    user = make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    with app.app_context():
        services.deactivate_user(db.session.get(User, user.id))
        db.session.commit()
    assert client.get(protected).status_code == 302
    response = auth.login("red@example.com")
    assert "E-mail eller adgangskode er forkert." in response.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "deactivate" in actions


def test_login_gives_a_new_session(client, auth, make_user):
    make_user(email="a@example.com")
    with client.session_transaction() as session:
        session["planted"] = "før login"
    auth.login("a@example.com")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_role_decorator_denies_lower_roles(client, auth, make_user, protected):
    make_user("contact", email="k@example.com")
    auth.login("k@example.com")
    response = client.get(protected)
    assert response.status_code == 403
    assert "Ingen adgang" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/tilgaengelighed", "/tilgaengelighed"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirect_only_to_own_site(client, make_user, target, expected):
    make_user(email="a@example.com")
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "a@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_throttling_locks_the_account_even_for_the_right_password(client, auth, make_user):
    make_user(email="a@example.com")
    for _ in range(3):
        auth.login("a@example.com", "forkert-adgangskode")
    response = auth.login("a@example.com")
    assert response.status_code == 429
    assert "for mange mislykkede forsøg" in response.get_data(as_text=True)
    wait = re.search(r"Vent (\d+) sekunder", response.get_data(as_text=True))
    assert wait and response.headers["Retry-After"] == wait[1]  # when to try again (RFC 9110)
    # An unknown account is throttled the same way, so lockout reveals nothing.
    for _ in range(3):
        auth.login("ukendt@example.com", "forkert-adgangskode")
    assert auth.login("ukendt@example.com", "noget").status_code == 429


def test_successful_login_resets_the_failure_count(app, client, auth, make_user):
    make_user(email="a@example.com")
    auth.login("a@example.com", "forkert-adgangskode")
    auth.login("a@example.com", "forkert-adgangskode")
    with app.app_context():
        assert db.session.get(LoginThrottle, "a@example.com").failures == 2
    auth.login("a@example.com")
    with app.app_context():
        assert db.session.get(LoginThrottle, "a@example.com") is None


CHILD = textwrap.dedent(
    """
    import re, sys
    from tests.conftest import make_test_app
    from pathlib import Path
    app = make_test_app(sys.argv[1], Path(sys.argv[2]), LOGIN_MAX_FAILURES=3)
    client = app.test_client()
    for _ in range(int(sys.argv[3])):
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        r = client.post("/login", data={"email": "a@example.com", "password": "forkert-kode-1",
                                        "csrf_token": token})
        print(r.status_code)
    """
)


def test_throttling_holds_across_two_processes(app, auth, make_user, database_url, tmp_path):
    make_user(email="a@example.com")

    def other_process(failures: int) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, database_url, str(tmp_path), str(failures)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.split()

    assert other_process(2) == ["200", "200"]  # two failures counted in another process
    auth.login("a@example.com", "forkert-adgangskode")  # the third, here
    assert other_process(1) == ["429"]  # locked there too
    assert auth.login("a@example.com").status_code == 429


def fail_three_times(auth, email: str) -> None:
    for _ in range(3):
        auth.login(email, "forkert-adgangskode")


def test_strangers_guessing_cannot_lock_the_owner_out_of_a_known_browser(app, make_user):
    make_user(email="a@example.com")
    owner, stranger = app.test_client(), app.test_client()
    owner_auth, stranger_auth = Auth(owner), Auth(stranger)
    assert owner_auth.login("a@example.com").status_code == 302  # the owner's browser, known
    owner_auth.logout()
    fail_three_times(stranger_auth, "a@example.com")
    assert stranger_auth.login("a@example.com").status_code == 429  # the stranger waits
    assert owner_auth.login("a@example.com").status_code == 302  # the owner does not


def test_the_wait_grows_with_each_failure_and_ends(app, client, auth, make_user, monkeypatch):
    from datetime import timedelta

    from portal.auth import throttle

    make_user(email="a@example.com")
    fail_three_times(auth, "a@example.com")
    with app.app_context():
        first = throttle.wait_left("a@example.com")
    assert first is not None and timedelta(seconds=25) < first <= timedelta(seconds=30)
    assert "Vent 30 sekunder" in auth.login("a@example.com").get_data(as_text=True)
    with app.app_context():  # the wait has passed
        db.session.get(LoginThrottle, "a@example.com").locked_until = None
        db.session.commit()
    auth.login("a@example.com", "forkert-adgangskode")  # one more failure: twice as long
    with app.app_context():
        second = throttle.wait_left("a@example.com")
        assert second is not None and second > timedelta(seconds=55)
        assert throttle.delay(50) == app.config["LOGIN_LOCKOUT"]  # never more than the cap


def test_a_forged_device_cookie_is_ignored(app, client, auth, make_user):
    from portal.auth.throttle import DEVICE_COOKIE

    make_user(email="a@example.com")
    client.set_cookie(DEVICE_COOKIE, "forfalsket.cookie.værdi")
    fail_three_times(auth, "a@example.com")
    assert auth.login("a@example.com").status_code == 429


def test_failed_logins_are_audited_without_the_password(app, auth, make_user):
    user = make_user(email="a@example.com")
    auth.login("a@example.com", "forkert-adgangskode")
    auth.login("ingen@example.com", "forkert-adgangskode")
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "login_failed")
        ).all()
        assert sorted(e.object_id for e in entries) == sorted([str(user.id), "ukendt"])
        assert not any("forkert" in str(vars(e)) for e in entries)


def test_refused_authorisations_are_audited(app, client, auth, make_user, protected):
    user = make_user("staff")
    auth.login(user.email)
    assert client.get(protected).status_code == 403
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "forbidden"))
        assert entry is not None
        assert (entry.actor_id, entry.object_id, entry.new_value) == (
            user.id,
            protected,
            "GET",
        )


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand (no sleeping)."""
    from portal.auth import sessions

    now = [1_800_000_000.0]
    monkeypatch.setattr(sessions, "_now", lambda: now[0])

    def advance(minutes: float) -> None:
        now[0] += minutes * 60

    return advance


def logged_in(client, path) -> bool:
    return client.get(path).status_code == 200


def test_an_idle_editor_session_ends_after_30_minutes(client, auth, make_user, protected, clock):
    auth.login(make_user("editor").email)
    clock(29)
    assert logged_in(client, protected)
    clock(29)  # active a minute ago: the idle time starts again
    assert logged_in(client, protected)
    clock(31)
    response = client.get(protected)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_sessions_idle_for_8_hours_and_end_12_hours_after_login(
    app, client, auth, make_user, clock
):
    @app.get("/_test/logget-ind")
    def who():
        from flask_login import current_user

        return "ja" if current_user.is_authenticated else "nej", 200

    auth.login(make_user("staff").email)
    clock(7 * 60)
    assert client.get("/_test/logget-ind").get_data(as_text=True) == "ja"
    for _ in range(4):  # used every hour and a quarter: never idle
        clock(75)
        client.get("/_test/logget-ind")
    clock(1)  # 12 h 16 min after login
    assert client.get("/_test/logget-ind").get_data(as_text=True) == "nej"
