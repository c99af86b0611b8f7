"""SAML 2.0 in a real browser: the portal (at localhost) sends the browser to the IdP (at
127.0.0.1, another site), whose page posts the signed answer back. The session cookie is
SameSite=Lax, so it does not come with that cross-site POST: the portal must find its request
in the database, not the session."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from portal.extensions import db
from tests.conftest import make_test_app
from tests.e2e.conftest import check_axe
from tests.sso.saml_idp import GROUPS, IdP, needs_xmlsec, person, serve

pytestmark = needs_xmlsec


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def saml_sites(tmp_path):
    idp_server, idp_thread = _serve(None)
    idp = IdP(tmp_path, base=f"http://127.0.0.1:{idp_server.server_port}")
    idp_server.app = serve(idp, person(**{GROUPS: ["bif-sof-redaktion"]}))
    portal = make_test_app(
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        Path(tmp_path),
        SAML_IDP_METADATA=idp.metadata(),
        SAML_SP_CERT=idp.sp_cert,
        SAML_SP_KEY=idp.sp_key,
        SSO_GROUP_ROLES="bif-sof-redaktion=editor",
    )
    with portal.app_context():
        db.create_all()
    portal_server, portal_thread = _serve(portal)
    url = f"http://localhost:{portal_server.server_port}"
    idp.trust(portal.test_client().get("/saml/metadata", base_url=url).get_data(as_text=True))
    yield url
    for server, thread in ((portal_server, portal_thread), (idp_server, idp_thread)):
        server.shutdown()
        thread.join(timeout=10)


def test_saml_login_across_sites_in_a_browser(browser, saml_sites):
    context = browser.new_context(base_url=saml_sites, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login?next=/min-konto")
    check_axe(page)
    page.get_by_role("button", name="Log ind med kommunens konto").click()
    page.get_by_role("button", name="Fortsæt til portalen").click()  # the IdP's page
    page.wait_for_load_state()
    expect(page.get_by_text("Du er logget ind som Jens Jensen.")).to_be_visible()
    assert page.url.endswith("/min-konto")
    expect(page.get_by_text("Redaktør").first).to_be_visible()  # the role from the group
    context.close()
