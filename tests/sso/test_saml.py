"""SAML 2.0 against a real IdP in the test process (pysaml2): signed assertions required,
audience and recipient checked, a replayed response refused, roles and accounts as with
OpenID Connect, SP metadata for the IdP administrator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import csrf_token
from tests.sso.saml_idp import GROUPS, IdP, needs_xmlsec, person

pytestmark = needs_xmlsec
ROLES = "bif-sof-redaktion=editor; *=staff"


@pytest.fixture
def idp(tmp_path):
    return IdP(tmp_path)


@pytest.fixture
def app_config(idp):
    return {
        "SAML_IDP_METADATA": idp.metadata(),
        "SAML_SP_CERT": idp.sp_cert,
        "SAML_SP_KEY": idp.sp_key,
        "SSO_GROUP_ROLES": ROLES,
    }


@pytest.fixture
def trusted(client, idp):
    """The IdP knows the portal from its metadata, as an IdP administrator would set it up."""
    metadata = client.get("/saml/metadata")
    assert metadata.status_code == 200
    idp.trust(metadata.get_data(as_text=True))
    return idp


def begin(client, next_url: str = "/") -> str:
    token = csrf_token(client, "/login")
    response = client.post("/saml/login", data={"csrf_token": token, "next": next_url})
    assert response.status_code == 302
    return response.headers["Location"]


def post_answer(client, answer: str):
    return client.post("/saml/acs", data={"SAMLResponse": answer})


def logged_in(client) -> bool:
    return client.get("/min-konto").status_code == 200


def roles(app):
    with app.app_context():
        return [(u.email, u.role) for u in db.session.scalars(sa.select(User))]


def refusals(app):
    with app.app_context():
        return db.session.scalars(
            sa.select(AuditEntry.new_value).where(AuditEntry.action == "sso_refused")
        ).all()


def test_metadata_names_the_acs_and_the_signing_certificate(client, trusted):
    xml = client.get("/saml/metadata").get_data(as_text=True)
    assert "http://localhost/saml/acs" in xml and "X509Certificate" in xml
    assert 'WantAssertionsSigned="true"' in xml and 'AuthnRequestsSigned="true"' in xml


def test_login_makes_the_account_with_the_role_from_the_groups(app, client, trusted):
    location = begin(client, "/kalender/")
    assert location.startswith("https://idp.kk.example/saml/sso?SAMLRequest=")
    answer = trusted.answer(location, attributes=person(**{GROUPS: ["bif-sof-redaktion"]}))
    response = post_answer(client, answer)
    assert response.status_code == 302 and response.headers["Location"] == "/kalender/"
    assert logged_in(client)
    assert roles(app) == [("jens.jensen@kk.example", "editor")]


def test_a_replayed_response_is_refused(app, client, trusted):
    answer = trusted.answer(begin(client))
    assert post_answer(client, answer).status_code == 302
    thief = app.test_client()
    replayed = post_answer(thief, answer)
    assert replayed.status_code == 403 and not logged_in(thief)
    assert any("Unsolicited response" in r for r in refusals(app))  # answered already


def test_an_unsigned_assertion_is_refused(app, client, trusted):
    response = post_answer(client, trusted.answer(begin(client), sign=False))
    assert response.status_code == 403 and not logged_in(client)
    assert "kunne ikke bekræfte" in response.get_data(as_text=True)
    assert roles(app) == []


def test_a_response_for_another_service_or_address_is_refused(app, client, trusted):
    wrong_audience = trusted.answer(begin(client), audience="https://andet-system.example")
    assert post_answer(client, wrong_audience).status_code == 403
    wrong_recipient = trusted.answer(begin(client), destination="https://andet.example/acs")
    assert post_answer(client, wrong_recipient).status_code == 403
    assert not logged_in(client) and roles(app) == [] and len(refusals(app)) == 2


def test_a_tampered_response_is_refused(app, client, trusted):
    import base64

    answer = base64.b64decode(trusted.answer(begin(client))).decode()
    tampered = answer.replace("jens.jensen@kk.example", "chef@kk.example")
    response = post_answer(client, base64.b64encode(tampered.encode()).decode())
    assert response.status_code == 403 and not logged_in(client) and roles(app) == []


def test_an_unsolicited_or_garbage_response_is_refused(app, client, trusted):
    assert post_answer(client, "ikke-saml").status_code == 403
    assert client.post("/saml/acs", data={}).status_code == 403
    assert not logged_in(client)


def test_a_missing_email_attribute_is_refused(app, client, trusted):
    answer = trusted.answer(
        begin(client),
        attributes=person(
            **{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": []}
        ),
    )
    response = post_answer(client, answer)
    assert response.status_code == 403 and "e-mailadresse" in response.get_data(as_text=True)


def test_starting_needs_the_login_pages_form(client, trusted):
    assert client.post("/saml/login", data={}).status_code == 400


def test_logout_sends_the_browser_to_the_idps_single_logout(app, client, trusted):
    from urllib.parse import parse_qs, urlsplit

    post_answer(client, trusted.answer(begin(client)))
    token = csrf_token(client, "/min-konto")
    response = client.post("/logout", data={"csrf_token": token})
    target = urlsplit(response.headers["Location"])
    assert f"https://{target.netloc}{target.path}" == "https://idp.kk.example/saml/slo"
    query = parse_qs(target.query)
    assert query["SAMLRequest"] and query["Signature"]  # signed, as the IdP requires
    assert not logged_in(client)
    back = client.get("/saml/logout")
    assert back.status_code == 302 and not logged_in(client)
