"""The search page, the JSON API, highlighting, facets, suggestions and the query log."""

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.kb.models import Page
from portal.search.models import SearchLog


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_api_shape(indexed, api):
    data = api("samtykke")
    assert set(data) == {"query", "total", "page", "results", "suggestion", "notice", "fallback"}
    assert data["query"] == "samtykke" and data["page"] == 1 and data["total"] >= 3
    assert data["notice"] is None and data["fallback"] is False
    first = data["results"][0]
    assert set(first) == {"kind", "title", "url", "snippet", "administration"}
    assert first["url"] == "/vejviser/samtykke" and first["kind"] == "vejviser"


def test_too_long_query_is_refused(indexed, client):
    api = client.get("/api/search", query_string={"q": "x" * 501})
    assert api.status_code == 400 and api.get_json()["status"] == 400
    assert api.get_json()["message"].startswith("Søgningen er for lang: højst 500 tegn.")
    page = client.get("/soeg", query_string={"q": "x" * 501})
    assert page.status_code == 400 and "Søgningen er for lang" in page.get_data(as_text=True)
    assert client.get("/api/search", query_string={"q": "x" * 500}).status_code == 200


def test_snippets_are_escaped_with_only_mark_tags(indexed, app, api):
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "jobplan"))
        page.body_html = "<p>Skriv &lt;script&gt;alert(1)&lt;/script&gt; i jobplanen.</p>"
        db.session.commit()
    from portal import search

    with app.app_context():
        search.apply_pending()
    snippet = next(
        r["snippet"] for r in api("jobplanen")["results"] if r["url"] == "/vejviser/jobplan"
    )
    tags = {t.name for t in BeautifulSoup(snippet, "html.parser").find_all(True)}
    assert tags == {"mark"}
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet


def test_kind_and_administration_filters_and_facets(indexed, api, client):
    everything = api("borger")
    procedures = api("borger", kind="sagsgange")
    assert 0 < procedures["total"] < everything["total"]
    assert {r["kind"] for r in procedures["results"]} == {"sagsgange"}
    sof = api("borger", administration="SOF")
    assert all(r["administration"] in ("SOF", "both") for r in sof["results"])
    page = soup(client.get("/soeg", query_string={"q": "borger"}))
    facet = page.select_one("nav.facets a[href*='type=sagsgange']")
    assert f"({procedures['total']})" in facet.get_text()
    assert page.select_one("#soeg-q")["value"] == "borger"  # the query stays in the box


def test_pagination(indexed, api):
    first, second = api("borger"), api("borger", page=2)
    assert first["total"] > 10 and second["page"] == 2
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}


def test_did_you_mean_and_broader_results_are_said(indexed, client, api):
    data = api("samtyke")
    assert data["suggestion"] == "samtykke"
    page = soup(client.get("/soeg", query_string={"q": "samtyke"}))
    assert page.select_one(".did-you-mean a").get_text() == "samtykke"
    typo = soup(client.get("/soeg", query_string={"q": "handlepaln"}))
    assert "Ingen sider indeholdt alle ordene" in typo.get_text()
    assert typo.select_one(".results a")["href"] == "/vejviser/social-handleplan"


def test_no_results_page_points_to_glossary_and_contacts(indexed, client):
    page = soup(client.get("/soeg", query_string={"q": "xyzzyqwerty"}))
    text = page.select_one(".no-results").get_text()
    assert "Ingen resultater for »xyzzyqwerty«" in text
    hrefs = [a["href"] for a in page.select(".no-results a")]
    assert "/ordliste" in hrefs and any("kontakt" in h for h in hrefs)


def test_empty_query_shows_the_form_only(indexed, client):
    page = soup(client.get("/soeg"))
    assert page.select_one("#soeg-q") is not None and page.select_one(".results") is None


def test_suggestions_by_title_prefix(indexed, client):
    data = client.get("/api/suggest", query_string={"q": "grøn li"}).get_json()
    titles = [s["title"] for s in data["suggestions"]]
    assert "Grøn linie" in titles and all("grøn" in t.lower() for t in titles)
    assert client.get("/api/suggest", query_string={"q": "g"}).get_json()["suggestions"] == []


def test_queries_are_logged_without_cpr_numbers(indexed, app, client, auth, make_user):
    client.get("/soeg", query_string={"q": "samtykke 010203-1234"})
    client.get("/soeg", query_string={"q": "xyzzyqwerty"})
    client.get("/api/search", query_string={"q": "0102031234 xyzzyqwerty"})
    with app.app_context():
        logged = db.session.scalars(sa.select(SearchLog.query)).all()
    assert sorted(logged) == ["samtykke", "xyzzyqwerty", "xyzzyqwerty"]
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    page = soup(client.get("/soeg/statistik"))
    assert "3 søgninger, heraf 2 uden resultater" in page.get_text()
    assert page.select_one("#uden").find_next("td").get_text() == "xyzzyqwerty"
