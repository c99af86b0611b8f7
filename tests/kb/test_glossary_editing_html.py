"""The glossary's editing pages are valid HTML (the Nu HTML Checker): the glossary as an
editor sees it, the new term's form (empty and with field errors), a term's form with its
removal, a refused stale save, and the glossary's history and comparison."""

from __future__ import annotations

from tests.conftest import Auth
from tests.kb.editing_helpers import soup
from tests.test_html_valid import check_html, vnu  # noqa: F401  (a fixture)

EDIT = "/ordliste/sof/rediger"


def fields(response) -> dict[str, str]:
    form = soup(response).select_one("form.term-form")
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    return data | {"definition": form.select_one("textarea").get_text().lstrip("\r\n")}


def test_glossary_editing_pages_are_valid_html(app, client, synced, auth, make_user, vnu, tmp_path):  # noqa: F811
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    pages = {"ny": client.get("/ordliste/ny").get_data(as_text=True)}
    new = fields(client.get("/ordliste/ny"))
    pages["fejl"] = client.post("/ordliste/ny", data=new | {"term": "bif"}).get_data(as_text=True)
    assert (
        client.post(
            "/ordliste/ny", data=new | {"term": "misbrug", "definition": "Brug."}
        ).status_code
        == 302
    )
    pages["ret"] = client.get(EDIT).get_data(as_text=True)
    mine = fields(client.get(EDIT))
    other = app.test_client()
    make_user("editor", email="anden@example.com")
    Auth(other).login("anden@example.com")
    other.post(EDIT, data=fields(other.get(EDIT)) | {"definition": "Andens forklaring."})
    pages["konflikt"] = client.post(EDIT, data=mine).get_data(as_text=True)
    for url in ["/ordliste", "/vejviser/ordliste/historik", "/vejviser/ordliste/sammenlign"]:
        pages[url] = client.get(url).get_data(as_text=True)
    assert "konflikt" in pages and "their-changes" in pages["konflikt"]
    check_html(vnu, pages, tmp_path)
