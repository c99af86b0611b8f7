"""``/readyz`` answers within 2 s when the database does not answer, never piles up checks
against a database that is down, and names the search engine."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from portal.core import health
from portal.extensions import db
from tests.conftest import drop_schema, make_test_app


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A TCP port that takes connections and never answers: a database that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener
    listener.close()


def silent_app(tmp_path, port: int):
    url = f"postgresql://portal@127.0.0.1:{port}/portal"
    return make_test_app(url, tmp_path, DB_CONNECT_TIMEOUT=2)


def accepted(listener: socket.socket) -> list[socket.socket]:
    """The connections waiting on ``listener``, taken without blocking."""
    listener.setblocking(False)
    taken = []
    while True:
        try:
            taken.append(listener.accept()[0])
        except BlockingIOError:
            return taken


def finish_checks(app, connections: list[socket.socket]) -> None:
    """Close what the probe connected to, so its thread ends with the test."""
    for connection in connections:
        connection.close()
    with app.app_context():
        health.database(db.engine, timeout=10)


def test_a_database_that_does_not_answer_is_unready_within_two_seconds(tmp_path, silent_server):
    app = silent_app(tmp_path, silent_server.getsockname()[1])
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.get_json()["database"] == "timeout"
    assert response.get_json()["status"] == "unavailable"
    assert elapsed < 2.0  # the requirement itself, not a performance figure
    # A second probe waits for the same check: one connection attempt, not two.
    assert client.get("/readyz").status_code == 503
    connections = accepted(silent_server)
    assert len(connections) == 1
    finish_checks(app, connections)


def test_a_refused_connection_is_reported_as_unreachable(tmp_path):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens here
    response = silent_app(tmp_path, port).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_ready_names_the_search_engine(app, client, database_url):
    """By default the engine follows the database: PostgreSQL's own on PostgreSQL."""
    from portal.search import rebuild

    with app.app_context():
        rebuild()
    body = client.get("/readyz").get_json()
    expected = "postgresql" if database_url.startswith("postgresql") else "whoosh"
    assert body["search_engine"] == expected and body["status"] == "ok"


def test_a_server_without_an_index_builds_it_when_asked_whether_it_is_ready(database_url, tmp_path):
    """A load balancer sends no search to a server that is not ready: the probe starts the
    rebuild a search would (in a thread in a server; here at once), or the server stayed
    unready for ever."""
    app = make_test_app(
        database_url,
        tmp_path,
        SEARCH_ENGINE="whoosh",
        SEARCH_INDEX_DIR=str(tmp_path / "never-built"),
    )
    with app.app_context():
        db.create_all()
    try:
        body = app.test_client().get("/readyz").get_json()
        assert body["search"] == "ok" and body["status"] == "ok", body
        assert (tmp_path / "never-built").is_dir()
    finally:
        drop_schema(app)  # this index's mark would hold other tests' outbox rows back
