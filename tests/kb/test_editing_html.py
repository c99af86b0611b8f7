"""The editing pages are valid HTML (the Nu HTML Checker): the form as opened, with field
errors, with a preview and with another editor's changes; history, comparison, changes."""

from __future__ import annotations

from tests.conftest import Auth
from tests.kb.editing_helpers import form_data
from tests.test_html_valid import check_html, vnu  # noqa: F401  (a fixture)

PROCEDURE = "/sagsgange/samarbejdsmodellen"
EDIT = f"{PROCEDURE}/rediger"


def test_editing_pages_are_valid_html(app, client, synced, auth, make_user, vnu, tmp_path):  # noqa: F811
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    pages = {"ret": client.get(EDIT).get_data(as_text=True)}
    data = form_data(client.get(EDIT))
    pages["fejl"] = client.post(EDIT, data=data | {"title": "", "steps-0-title": ""}).get_data(
        as_text=True
    )
    pages["forhåndsvisning"] = client.post(
        EDIT, data=data | {"forhaandsvis": "Forhåndsvis", "body": "**x**"}
    ).get_data(as_text=True)
    other = app.test_client()
    make_user("editor", email="anden@example.com")
    Auth(other).login("anden@example.com")
    other.post(EDIT, data=form_data(other.get(EDIT)) | {"summary": "Andens resumé."})
    pages["konflikt"] = client.post(EDIT, data=data).get_data(as_text=True)
    for url in [
        "/vejviser/ny",
        f"{PROCEDURE}/historik",
        f"{PROCEDURE}/sammenlign?fra=1&til=2",
        "/aendringer",
        PROCEDURE,
    ]:
        pages[url] = client.get(url).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
