"""Rate limits that fit an intranet: an office behind one address never locks itself out by
reading, while login and password forms stay strict per account and client address; the
client address is the real one only behind the configured trusted proxies."""

import pytest

from portal.auth import services
from portal.extensions import db, limiter
from tests.conftest import Auth, csrf_token, make_test_app

LIMITED = "Du har prøvet for mange gange."  # the limiter's 429 page, not the login throttle's


@pytest.fixture(autouse=True)
def _own_default_limits():
    """One limiter object serves every app in the process and keeps the first default limits
    it saw: forget them, so that each app here reads its own configuration."""
    limiter.limit_manager.set_default_limits([])
    yield
    limiter.limit_manager.set_default_limits([])


@pytest.fixture
def app_config() -> dict:
    return {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_PER_ACCOUNT": "3 per minute",
        "LOGIN_RATE_PER_ADDRESS": "8 per minute",
        "LOGIN_MAX_FAILURES": 1000,  # the database throttle stays out of these tests' way
    }


def post_login(client, email: str, headers: dict | None = None):
    """A login with a wrong password: 200 with the form again, until a limit says 429."""
    data = {"email": email, "password": "forkert", "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, headers=headers or {})


def test_an_office_behind_one_address_reads_without_limit(client):
    statuses = {client.get("/").status_code for _ in range(500)}
    assert statuses == {200}


def test_a_view_with_limits_of_its_own_counts_anonymous_requests_too(client):
    """Anonymous reading skips the limiter, views with their own limits do not: starting
    single sign-on is limited per address (unconfigured here, so 404 until the limit)."""
    statuses = [client.get("/login/kommune").status_code for _ in range(9)]
    assert statuses == [404] * 8 + [429]


def test_a_configured_default_limit_counts_each_signed_in_person(app, database_url, tmp_path):
    """(``app`` makes the schema and empties it afterwards; this app shares the database.)"""
    limited = make_test_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute"
    )
    anonymous, first, second = (limited.test_client() for _ in range(3))
    assert {anonymous.get("/").status_code for _ in range(10)} == {200}  # not counted
    with limited.app_context():
        for email in ("a@example.com", "b@example.com"):
            services.create_user(email, "Test", "staff", "korrekt-hest-batteri")
        db.session.commit()
    assert Auth(first).login("a@example.com").status_code == 302  # anonymous until now
    assert [first.get("/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert LIMITED in first.get("/").get_data(as_text=True)
    assert second.get("/").status_code == 200  # anonymous at the same address
    assert Auth(second).login("b@example.com").status_code == 302
    assert second.get("/").status_code == 200  # another person at the same address
    assert {first.get("/healthz").status_code for _ in range(5)} == {200}


def test_login_is_limited_per_account_and_address(client):
    statuses = [post_login(client, "a@example.com").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert LIMITED in post_login(client, "A@Example.com ").get_data(as_text=True)
    assert post_login(client, "b@example.com").status_code == 200  # another account
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_a_limited_answer_says_when_to_try_again(client):
    """Retry-After (RFC 9110): a script or a proxy waits that long instead of hammering."""
    for _ in range(3):
        post_login(client, "a@example.com")
    refused = post_login(client, "a@example.com")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # a minute, in whole seconds
    assert "Retry-After" not in post_login(client, "b@example.com").headers  # a 200


def test_login_from_one_address_has_a_ceiling_across_accounts(client):
    statuses = [post_login(client, f"gaet{n}@example.com").status_code for n in range(9)]
    assert statuses == [200] * 8 + [429]


def test_the_limit_holds_after_a_correct_password(app, client, make_user):
    make_user(email="a@example.com")
    for _ in range(3):
        post_login(client, "a@example.com")
    assert Auth(client).login("a@example.com").status_code == 429


def test_reset_links_are_limited_per_link_and_address(client):
    data = {"password": "x", "repeat": "x", "csrf_token": csrf_token(client)}
    statuses = [client.post("/nulstil-adgangskode/abc", data=data).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]  # 400: the link is not valid
    assert client.post("/nulstil-adgangskode/def", data=data).status_code == 400


def test_behind_proxy_fix_each_client_address_is_limited_apart(app, database_url, tmp_path):
    limited = make_test_app(
        database_url,
        tmp_path,
        PROXY_FIX=1,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_PER_ADDRESS="2 per minute",
    )
    client = limited.test_client()
    one, two = {"X-Forwarded-For": "10.0.0.1"}, {"X-Forwarded-For": "10.0.0.2"}
    statuses = [post_login(client, f"x{n}@example.com", one).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert post_login(client, "y@example.com", two).status_code == 200


def test_without_proxy_fix_a_forwarded_header_is_ignored(app, database_url, tmp_path):
    limited = make_test_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_PER_ADDRESS="2 per minute"
    )
    client = limited.test_client()
    statuses = [
        post_login(client, f"x{n}@example.com", {"X-Forwarded-For": f"10.0.0.{n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_limits_hold_and_login_works_while_redis_is_down(app, database_url, tmp_path):
    limited = make_test_app(
        database_url,
        tmp_path,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",  # nothing listens there
        LOGIN_RATE_PER_ACCOUNT="3 per minute",
        LOGIN_MAX_FAILURES=1000,
    )
    client = limited.test_client()
    statuses = [post_login(client, "a@example.com").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # counted in this process instead, never a 500
