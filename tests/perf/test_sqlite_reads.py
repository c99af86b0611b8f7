"""On SQLite a GET's transaction only reads: it starts with a plain BEGIN, so pages are served
while another process writes; anything that may write still takes the lock first (issue 17)."""

from __future__ import annotations

import sqlite3

import pytest

from portal.db import read_only_transaction
from portal.extensions import db
from portal.kb.sync import sync_content


@pytest.fixture
def app_config():
    return {"STATS_FLUSH_SECONDS": 3600}  # visit counts later: this page view writes nothing


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()


def begins(sent: list[str]) -> list[str]:
    return [s for s in sent if s.upper().startswith("BEGIN")]


def test_a_page_is_read_while_another_process_holds_the_write_lock(
    app, client, content, database_url
):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL readers never wait for writers")
    before = client.get("/vejviser/groen-linie").get_data()
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process is in the middle of a write
        other.execute("UPDATE page SET summary = summary")
        response = client.get("/vejviser/groen-linie")  # before: waited 10 s, then 500
        assert response.status_code == 200
        assert response.get_data() == before
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_reads_begin_plainly_and_writes_take_the_lock(
    app, client, content, statements, auth, make_user, database_url
):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's BEGIN modes")
    with statements() as sent:
        client.get("/vejviser/groen-linie")
    assert begins(sent) == ["BEGIN"]
    user = make_user("staff")
    with statements() as sent:
        auth.login(user.email)  # a POST
    assert "BEGIN" not in begins(sent)
    assert "BEGIN IMMEDIATE" in begins(sent)


@pytest.mark.parametrize(
    "path, method, config, read_only",
    [
        ("/vejviser/groen-linie", "GET", {}, True),
        ("/vejviser/groen-linie", "HEAD", {}, True),
        ("/login", "POST", {}, False),
        ("/vejviser/groen-linie", "GET", {"TRUSTED_HEADER": "X-Remote-User"}, False),
        ("/login/kommune/svar", "GET", {}, False),  # a view marked ``writes_on_get``: SSO sign-in
    ],
)
def test_which_transactions_only_read(app, path, method, config, read_only):
    app.config.update(config)
    with app.test_request_context(path, method=method):
        assert read_only_transaction() is read_only
    with app.app_context():  # a command or a job
        assert read_only_transaction() is False
