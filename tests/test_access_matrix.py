"""Every route has an expected status for every role; a new route without one fails here.

Each row: endpoint -> (method, url, {role: status}). Roles: anon, staff, contact, editor, admin.
POSTs are sent with a valid CSRF token, so the status shows the access rule, not CSRF.

A feature adds its rows in ``tests/<feature>/access.py``: ``EXPECTED`` (same shape; a url may
hold ``{placeholders}``) and ``prepare(app) -> dict`` that creates the data the urls need and
returns the placeholder values.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest

from tests.conftest import csrf_token

ROLES = ["anon", "staff", "contact", "editor", "admin"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def logged_in(anon: int, others: int) -> dict[str, int]:
    return {"anon": anon, **dict.fromkeys(ROLES[1:], others)}


EXPECTED: dict[tuple[str, str], tuple[str, dict[str, int]]] = {
    ("static", "GET"): ("/static/css/portal.css", everyone(200)),
    ("core.index", "GET"): ("/", everyone(200)),
    ("core.accessibility", "GET"): ("/tilgaengelighed", everyone(200)),
    ("core.healthz", "GET"): ("/healthz", everyone(200)),
    ("core.readyz", "GET"): ("/readyz", everyone(200)),
    ("auth.login", "GET"): ("/login", logged_in(200, 302)),
    ("auth.login", "POST"): ("/login", everyone(400)),  # empty form: Danish field errors
    # Anonymous: sent to the login page. Logged in: logged out and sent to the front page.
    ("auth.logout", "POST"): ("/logout", everyone(302)),
    ("auth.logout_everywhere", "POST"): ("/min-konto/log-ud-overalt", everyone(302)),
    ("auth.account", "GET"): ("/min-konto", logged_in(302, 200)),
    ("auth.change_password", "GET"): ("/min-konto/adgangskode", logged_in(302, 200)),
    ("auth.change_password", "POST"): ("/min-konto/adgangskode", logged_in(302, 400)),
    ("auth.reset_password", "GET"): ("/nulstil-adgangskode/ugyldigt-link", everyone(400)),
    ("auth.reset_password", "POST"): ("/nulstil-adgangskode/ugyldigt-link", everyone(400)),
    # Asking for a reset link: open to all; the empty form gets Danish field errors.
    ("auth.forgot_password", "GET"): ("/glemt-adgangskode", everyone(200)),
    ("auth.forgot_password", "POST"): ("/glemt-adgangskode", everyone(400)),
    # Single sign-on: not set up in these tests, so there is nothing there (tests/sso/).
    ("sso.start", "GET"): ("/login/kommune", everyone(404)),
    ("sso.callback", "GET"): ("/login/kommune/svar", everyone(404)),
    ("sso.saml_metadata", "GET"): ("/saml/metadata", everyone(404)),
    ("sso.saml_start", "POST"): ("/saml/login", everyone(404)),
    ("sso.saml_acs", "POST"): ("/saml/acs", everyone(404)),
    ("sso.saml_logout", "GET"): ("/saml/logout", everyone(404)),
    ("kb.guide_index", "GET"): ("/vejviser/", everyone(200)),
    ("kb.guide", "GET"): ("/vejviser/groen-linie", everyone(200)),
    ("kb.procedure_index", "GET"): ("/sagsgange/", everyone(200)),
    ("kb.procedure", "GET"): ("/sagsgange/samarbejdsmodellen", everyone(200)),
    ("kb.glossary", "GET"): ("/ordliste", everyone(200)),
    ("kb.tag", "GET"): ("/emne/samtykke", everyone(200)),
    ("search.results", "GET"): ("/soeg?q=samtykke", everyone(200)),
    ("search.api_search", "GET"): ("/api/search?q=samtykke", everyone(200)),
    ("search.api_suggest", "GET"): ("/api/suggest?q=sam", everyone(200)),
    ("search.statistics", "GET"): (
        "/soeg/statistik",
        {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200},
    ),
}


FEATURE_MODULES = [
    importlib.import_module(f"tests.{m.name}.access")
    for m in pkgutil.iter_modules([str(Path(__file__).parent)])
    if m.ispkg and (Path(__file__).parent / m.name / "access.py").exists()
]
FEATURE_MODULES.append(importlib.import_module("tests.kb.feedback_access"))  # reader feedback
for _module in FEATURE_MODULES:
    EXPECTED.update(_module.EXPECTED)


def routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return found


def test_every_route_has_an_expectation(app):
    missing = routes(app) - set(EXPECTED)
    assert not missing, f"routes without an access expectation: {sorted(missing)}"
    stale = set(EXPECTED) - routes(app)
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def content(app):
    from portal.extensions import db
    from portal.kb.sync import sync_content
    from portal.search import rebuild

    with app.app_context():
        sync_content()
        db.session.commit()
        rebuild()  # /readyz answers 200 only with a readable search index


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, client, auth, make_user, content, role):
    values = {}
    for module in FEATURE_MODULES:
        values.update(module.prepare(app))
    if role != "anon":
        make_user(role, email=f"{role}@example.com")
        auth.login(f"{role}@example.com")
    for (endpoint, method), (url_pattern, expected) in sorted(EXPECTED.items()):
        url = url_pattern.format(**values)
        if method == "GET":
            with client.get(url) as response:
                status = response.status_code
        else:
            token = csrf_token(client, "/login" if role == "anon" else "/")
            status = client.open(url, method=method, data={"csrf_token": token}).status_code
            if endpoint in ("auth.logout", "auth.logout_everywhere") and role != "anon":
                auth.login(f"{role}@example.com")  # log back in for the rows after this one
        assert status == expected[role], f"{role} {method} {url}: {status} != {expected[role]}"
