"""Trusted-header login: honoured only from the configured proxy addresses; from anywhere else
the header is refused and audited; roles from a groups header."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.audit import AuditEntry
from portal.auth.models import User
from portal.config import ConfigError
from portal.extensions import db

PROXY = "10.0.0.5"


@pytest.fixture
def app_config():
    return {
        "TRUSTED_HEADER": "X-Remote-User",
        "TRUSTED_HEADER_GROUPS": "X-Remote-Groups",
        "TRUSTED_HEADER_PROXIES": ["10.0.0.0/24"],
        "SSO_GROUP_ROLES": "redaktion=editor; *=staff",
    }


def get(client, path: str, remote: str, **headers: str):
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": remote})


def test_the_proxys_header_logs_the_person_in_with_a_role(app, client):
    page = get(
        client,
        "/min-konto",
        PROXY,
        **{"X-Remote-User": "Lise@KK.example", "X-Remote-Groups": "alle, redaktion"},
    )
    assert page.status_code == 200 and "lise@kk.example" in page.get_data(as_text=True)
    with app.app_context():
        assert [(u.email, u.role) for u in db.session.scalars(sa.select(User))] == [
            ("lise@kk.example", "editor")
        ]


def test_the_header_from_anywhere_else_is_refused_and_audited(app, client):
    page = get(client, "/min-konto", "192.168.1.9", **{"X-Remote-User": "chef@kk.example"})
    assert page.status_code == 403
    assert "kom ikke gennem kommunens login" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        [reason] = db.session.scalars(
            sa.select(AuditEntry.new_value).where(AuditEntry.action == "sso_refused")
        ).all()
    assert "192.168.1.9" in reason


def test_a_forwarded_for_header_does_not_make_a_stranger_a_proxy(app, client):
    page = get(
        client,
        "/min-konto",
        "192.168.1.9",
        **{"X-Remote-User": "chef@kk.example", "X-Forwarded-For": PROXY},
    )
    assert page.status_code == 403


def test_without_the_header_nothing_happens(client):
    assert get(client, "/min-konto", PROXY).status_code == 302  # to the login page


def test_the_header_needs_named_proxies():
    with pytest.raises(ConfigError, match="PORTAL_TRUSTED_HEADER_PROXIES"):
        create_app({"TESTING": True, "TRUSTED_HEADER": "REMOTE_USER"})


def test_behind_proxyfix_the_connecting_peer_is_what_counts(app, client):
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    claims = {"X-Remote-User": "x@kk.example"}
    spoofed = get(client, "/min-konto", "192.168.1.9", **claims, **{"X-Forwarded-For": PROXY})
    assert spoofed.status_code == 403
    real = get(client, "/min-konto", PROXY, **claims, **{"X-Forwarded-For": "192.168.1.9"})
    assert real.status_code == 200
