"""Fixtures: a fresh database per test (SQLite, and PostgreSQL when PORTAL_TEST_POSTGRES_URL is
set), the app, its test client and CLI runner, a login helper and factories."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
PASSWORD = "korrekt-hest-batteri"  # every factory user's password


@contextmanager
def scratch_database(server: str, prefix: str = "portal_test") -> Iterator[str]:
    """A new, empty PostgreSQL database on ``server`` (a URL), dropped afterwards."""
    base = make_url(server).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test run, dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("PORTAL_TEST_POSTGRES_URL er ikke sat")
    with scratch_database(POSTGRES_URL) as url:
        yield url


def make_test_app(database_url: str, tmp_path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "RATELIMIT_ENABLED": False,
        # A test's requests rebuild a missing index at once: no thread outlives the test.
        "SEARCH_REBUILD_IN_BACKGROUND": False,
        "MAIL_SEND_INLINE": True,  # mail is sent before the response, not in a thread
    }
    config.update(overrides)
    app = create_app(config)
    _apps.append(app)
    return app


_apps: list = []  # every app a test made, so that its connections are closed at the end


@pytest.fixture(scope="session", autouse=True)
def _close_connections():
    """Close the pools of every app the tests created (some build extra apps, e.g. to stand
    for a second process); an open PostgreSQL connection left to the garbage collector fails
    the run with a ResourceWarning."""
    yield
    for app in _apps:
        with app.app_context():
            db.engine.dispose()
    _apps.clear()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    """The app with an empty schema. No app context is held during the test: a request must
    get its own (Flask reuses an outer one, which would share ``g`` and the session); tests
    that touch the database push ``app.app_context()`` themselves."""
    app = make_test_app(database_url, tmp_path, **app_config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        if database_url.startswith("postgresql"):
            # The PostgreSQL database lives for the run: empty it so the next test starts fresh.
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


def drop_schema(app) -> None:
    """Empty the database completely, so that the migrations can build it from nothing."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def whoosh(app):
    """Whoosh as the app's search engine on either database: for tests of its index
    directory (PostgreSQL's own engine is the default on PostgreSQL). Ask for it first."""
    from portal.search import make_engine

    app.config["SEARCH_ENGINE"] = "whoosh"
    app.extensions["portal_search_engine"] = make_engine(app)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token from a form on ``path`` (the session keeps it for later posts)."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


@dataclass
class Auth:
    client: object

    def login(self, email: str, password: str = PASSWORD):
        token = csrf_token(self.client, "/login")
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self):
        token = csrf_token(self.client, "/")
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def make_user(app):
    """Factory: ``make_user("editor")`` creates and commits a user with PASSWORD."""
    from portal.auth import services

    counter = iter(range(1, 10_000))

    def factory(role: str = "staff", email: str | None = None, name: str | None = None):
        n = next(counter)
        with app.app_context():
            user = services.create_user(
                email or f"{role}{n}@example.com", name or f"Test {role} {n}", role, PASSWORD
            )
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)  # a plain record for the test to read
        return user

    return factory
