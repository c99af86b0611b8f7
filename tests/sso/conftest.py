from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from tests.sso.provider import Provider

CALLBACK = "http://localhost/login/kommune/svar"
GROUP_ROLES = "bif-sof-redaktion=editor; it-admin=admin; *=staff"


@pytest.fixture
def provider():
    found = Provider()
    found.redirect_uris = [CALLBACK]
    found.start()
    yield found
    found.stop()


@pytest.fixture
def app_config(provider):
    return provider.config(SSO_GROUP_ROLES=GROUP_ROLES)


def person(sub: str = "abc-123", **claims):
    return {
        "sub": sub,
        "email": "mette.hansen@kk.example",
        "name": "Mette Hansen",
        "groups": ["alle-ansatte"],
        **claims,
    }


def sso_login(client, provider, user: dict | None = None, next_url: str | None = None):
    """The whole flow: the portal sends the browser to the provider, which signs the person
    in at once and sends the browser back with a code; the portal's answer to that."""
    if user is not None:
        provider.user = user
    start = client.get("/login/kommune" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.get_data(as_text=True)
    authorize = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert authorize.status_code == 302, authorize.text
    back = urlsplit(authorize.headers["Location"])
    return client.get(f"{back.path}?{back.query}")
