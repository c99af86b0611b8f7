"""Request logs as JSON lines without personal data, and Prometheus metrics at /metrics that
only the monitoring server may read (issue 17)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from portal.db import utcnow
from portal.extensions import db
from portal.kb.sync import sync_content
from portal.mail.models import MailMessage
from portal.ops.observe import LOGGER, JsonLines
from portal.search.models import SearchOutbox
from tests.conftest import make_test_app

TOKEN = "a-long-random-token-for-the-monitoring-server"
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def app_config():
    return {"METRICS": True, "LOG_JSON": True, "METRICS_TOKEN": TOKEN}


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()


@pytest.fixture
def lines(caplog):
    """The request log's lines as the JSON they are written as."""
    logger = logging.getLogger(LOGGER)
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, LOGGER)
    yield lambda: [json.loads(JsonLines().format(r)) for r in caplog.records if r.name == LOGGER]
    logger.removeHandler(caplog.handler)


def samples(response) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_a_log_line_has_no_query_address_or_user(client, content, lines, auth, make_user):
    auth.login(make_user("staff").email)
    client.get(
        "/soeg?q=Jens+Hansen+010190-1234",
        headers={"X-Forwarded-For": "198.51.100.7", "User-Agent": "Probe/1.0"},
        environ_base=ELSEWHERE,
    )
    client.get("/invitation/hemmeligt-engangs-token")
    client.get("/kontaktpersoner/010190-1234")
    search, invitation, cpr = lines()[-3:]
    assert set(search) == {"time", "method", "path", "endpoint", "status", "duration_ms"}
    assert search["method"] == "GET"
    assert search["path"] == "/soeg"
    assert search["endpoint"] == "search.results"
    assert search["status"] == 200
    assert search["duration_ms"] > 0
    text = json.dumps(lines())
    for secret in ("Jens", "q=", "010190", "203.0.113.9", "198.51.100.7", "Probe", "example.com"):
        assert secret not in text, secret
    assert invitation["path"] == "/invitation/[skjult]"
    assert "hemmeligt" not in text
    assert cpr["status"] == 404


def test_json_log_is_off_by_default(database_url, tmp_path, lines):
    app = make_test_app(database_url, tmp_path)
    app.test_client().get("/healthz")
    assert lines() == []


def test_metrics_count_requests_searches_and_outboxes(app, client, content):
    client.get("/vejviser/groen-linie")
    client.get("/vejviser/findes-ikke")
    client.get("/api/search?q=handleplan")
    with app.app_context():
        db.session.add(
            SearchOutbox(source="page", key="1", created_at=utcnow() - timedelta(minutes=5))
        )
        for n, status in enumerate(["pending", "pending", "failed", "sent"]):
            db.session.add(
                MailMessage(
                    key=f"probe-{n}",
                    kind="probe",
                    to_address="a@example.com",
                    subject="Emne",
                    body_text="Tekst",
                    body_html="<p>Tekst</p>",
                    status=status,
                )
            )
        db.session.commit()
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    found = samples(response)
    guide = (("endpoint", "kb.guide"), ("method", "GET"), ("status", "200"))
    assert found[("portal_requests_total", guide)] == 1
    missing = (("endpoint", "kb.guide"), ("method", "GET"), ("status", "404"))
    assert found[("portal_requests_total", missing)] == 1
    search = (("endpoint", "search.api_search"),)
    assert found[("portal_search_duration_seconds_count", search)] == 1
    assert found[("portal_request_duration_seconds_count", (("endpoint", "kb.guide"),))] == 2
    assert found[("portal_search_outbox_rows", ())] >= 1
    assert found[("portal_search_outbox_lag_seconds", ())] >= 5 * 60
    assert found[("portal_mail_outbox_messages", (("status", "pending"),))] == 2
    assert found[("portal_mail_outbox_messages", (("status", "failed"),))] == 1
    # Labels name endpoints, never paths: no slug or id reaches the monitoring server.
    assert "groen-linie" not in response.get_data(as_text=True)


def test_metrics_are_refused_elsewhere_without_the_token(client):
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 404
    wrong = {"Authorization": "Bearer not-the-token"}
    assert client.get("/metrics", headers=wrong, environ_base=ELSEWHERE).status_code == 404
    right = {"Authorization": f"Bearer {TOKEN}"}
    response = client.get("/metrics", headers=right, environ_base=ELSEWHERE)
    assert response.status_code == 200
    assert b"portal_requests_total" in response.get_data()


def test_metrics_need_no_login_when_reading_does(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, METRICS=True, PUBLIC_READ=False)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 404


def test_metrics_are_off_by_default(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)
    assert "ops.metrics" not in app.view_functions
    assert app.test_client().get("/metrics").status_code == 404


def test_allowed_networks_and_a_bad_setting(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path, METRICS=True, METRICS_ALLOW=["10.0.0.0/8"])
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # this machine is no longer on the list
    from portal.config import ConfigError

    with pytest.raises(ConfigError, match="PORTAL_METRICS_ALLOW"):
        make_test_app(database_url, tmp_path, METRICS=True, METRICS_ALLOW=["ikke-en-adresse"])
