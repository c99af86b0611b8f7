"""Log ind med kommunens konto against a real OpenID Connect provider in the test process:
login, roles from groups, accounts made just in time or linked by e-mail, and every refusal
(audited, a Danish page, no session)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa
from joserfc.jwk import RSAKey

from portal.audit import AuditEntry
from portal.auth import services
from portal.auth.models import User
from portal.extensions import db
from portal.sso.models import UserIdentity
from tests.conftest import PASSWORD
from tests.sso.conftest import person, sso_login


def logged_in_as(client) -> str | None:
    page = client.get("/min-konto")
    if page.status_code != 200:
        return None
    text = page.get_data(as_text=True)
    return text.split("E-mail (brugernavn)</dt><dd>", 1)[1].split("<", 1)[0]


def users(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (u.email, u.name, u.role) for u in db.session.scalars(sa.select(User).order_by(User.id))
        ]


def refusals(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditEntry.new_value).where(AuditEntry.action == "sso_refused")
            )
        )


def test_first_login_makes_a_staff_account_and_later_logins_find_it(app, client, provider):
    response = sso_login(client, provider, person(), next_url="/kalender/")
    assert response.status_code == 302 and response.headers["Location"] == "/kalender/"
    assert logged_in_as(client) == "mette.hansen@kk.example"
    assert users(app) == [("mette.hansen@kk.example", "Mette Hansen", "staff")]

    again = app.test_client()
    sso_login(again, provider, person(email="nyt.navn@kk.example"))
    assert logged_in_as(again) == "mette.hansen@kk.example"  # found by subject, not e-mail
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserIdentity)) == 1


def test_roles_follow_the_groups_at_every_login(app, client, provider):
    sso_login(client, provider, person(groups=["alle-ansatte", "bif-sof-redaktion"]))
    assert users(app)[0][2] == "editor"
    sso_login(app.test_client(), provider, person(groups=["it-admin", "bif-sof-redaktion"]))
    assert users(app)[0][2] == "admin"  # the larger role
    sso_login(app.test_client(), provider, person(groups="alle-ansatte"))
    assert users(app)[0][2] == "staff"
    with app.app_context():
        changes = db.session.execute(
            sa.select(AuditEntry.old_value, AuditEntry.new_value).where(AuditEntry.action == "role")
        ).all()
    assert [tuple(c) for c in changes] == [("editor", "admin"), ("admin", "staff")]


def test_an_existing_contact_person_is_linked_by_email_and_stays_a_contact(app, client, provider):
    with app.app_context():
        services.create_user("Mette.Hansen@kk.example", "Mette H.", "contact", PASSWORD)
        db.session.commit()
    sso_login(client, provider, person(name="Someone Else"))
    assert users(app) == [("mette.hansen@kk.example", "Mette H.", "contact")]
    assert logged_in_as(client) == "mette.hansen@kk.example"


def test_an_unverified_email_is_never_used_to_link_an_account(app, client, provider):
    with app.app_context():
        services.create_user("mette.hansen@kk.example", "Mette", "admin", PASSWORD)
        db.session.commit()
    response = sso_login(client, provider, person(email_verified=False))
    assert response.status_code == 403
    assert "har ikke bekræftet din e-mailadresse" in response.get_data(as_text=True)
    assert logged_in_as(client) is None
    assert refusals(app) == ["e-mail not verified"]


@pytest.mark.parametrize(
    ("claims", "message", "reason"),
    [
        ({"email": None}, "sendte ikke din e-mailadresse", "no e-mail claim"),
        ({"groups": []}, "giver ikke adgang til portalen", "no role for groups []"),
    ],
)
def test_refused_without_email_or_without_a_role(app, client, provider, claims, message, reason):
    app.config["SSO_GROUP_ROLES"] = "bif-sof-redaktion=editor"  # no "*": a group is needed
    response = sso_login(
        client, provider, {k: v for k, v in person(**claims).items() if v is not None}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 403 and message in text
    assert "Kontakt specialenheden" in text  # whom to ask
    assert logged_in_as(client) is None and users(app) == []
    assert refusals(app) == [reason]


def test_a_deactivated_user_is_refused(app, client, provider):
    sso_login(client, provider, person())
    with app.app_context():
        services.deactivate_user(db.session.scalar(sa.select(User)), None)
        db.session.commit()
    other = app.test_client()
    response = sso_login(other, provider, person())
    assert response.status_code == 403 and "lukket" in response.get_data(as_text=True)
    assert logged_in_as(other) is None


@pytest.mark.parametrize(
    ("claims", "what"),
    [
        ({"aud": "en-anden-klient"}, "aud"),
        ({"iss": "https://falsk.example"}, "iss"),
        ({"exp": int(time.time()) - 3600}, "exp"),
        ({"nonce": "en-anden-nonce"}, "nonce"),
    ],
)
def test_a_token_for_someone_else_or_out_of_date_is_refused(app, client, provider, claims, what):
    provider.claims = claims
    response = sso_login(client, provider, person())
    assert response.status_code == 403
    assert "kunne ikke bekræfte, hvem du er" in response.get_data(as_text=True)
    assert logged_in_as(client) is None and users(app) == []
    assert len(refusals(app)) == 1


def test_a_token_signed_with_another_key_is_refused(app, client, provider):
    provider.published = provider.key  # the JWKS keeps showing the real key ...
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "nøgle-1", "use": "sig"})
    response = sso_login(client, provider, person())  # ... the token is signed by another
    assert response.status_code == 403 and logged_in_as(client) is None


def test_a_new_signing_key_is_fetched_when_a_token_names_it(app, client, provider):
    sso_login(client, provider, person())  # the portal has the JWKS now
    provider.rotate_key()
    other = app.test_client()
    sso_login(other, provider, person())
    assert logged_in_as(other) == "mette.hansen@kk.example"


def test_a_forged_state_or_a_replayed_code_gets_no_session(app, client, provider):
    provider.user = person()
    start = client.get("/login/kommune")
    authorize = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = urlsplit(authorize.headers["Location"])
    query = parse_qs(back.query)
    forged = client.get(f"{back.path}?code={query['code'][0]}&state=forfalsket")
    assert forged.status_code == 403 and logged_in_as(client) is None

    stranger = app.test_client()  # another browser with the stolen answer: not its login
    assert stranger.get(f"{back.path}?{back.query}").status_code == 403
    assert logged_in_as(stranger) is None

    assert client.get(f"{back.path}?{back.query}").status_code == 302  # the real one
    assert client.get(f"{back.path}?{back.query}").status_code == 403  # the same again


def test_the_provider_saying_no_is_a_danish_refusal(app, client, provider):
    client.get("/login/kommune")
    response = client.get("/login/kommune/svar?error=access_denied&error_description=nej")
    assert response.status_code == 403 and logged_in_as(client) is None
    assert refusals(app) == ["provider: access_denied nej"]


def test_logout_ends_the_providers_session_too(app, client, provider):
    from tests.conftest import csrf_token

    sso_login(client, provider, person())
    token = csrf_token(client, "/min-konto")
    response = client.post("/logout", data={"csrf_token": token})
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == provider.url and target.path == "/logout"
    assert parse_qs(target.query)["id_token_hint"]
    assert logged_in_as(client) is None


def test_the_content_security_policy_lets_forms_lead_to_the_provider(client, provider):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {provider.url}" in policy
    assert "script-src 'self';" in policy  # nothing else loosened
