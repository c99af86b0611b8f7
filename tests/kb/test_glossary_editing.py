"""The glossary in the browser (issue 11): editors add, change and remove terms at /ordliste;
a synonym reaches search at once, pages are marked with the changed glossary without a
revision of their own, and every change is a revision of the glossary page whose comparison
shows which terms changed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.extensions import db
from portal.kb.models import GlossaryTerm
from tests.kb.editing_helpers import page, revisions_of, soup

NEW = "/ordliste/ny"
MISBRUG = {"term": "misbrug", "synonyms": "alkohol, rusmidler", "definition": "Brug af stoffer."}


@pytest.fixture
def editor(synced, auth, make_user):
    user = make_user("editor", email="red@example.com", name="Rikke Redaktør")
    auth.login("red@example.com")
    return user


def token(client, url: str = NEW) -> str:
    return soup(client.get(url)).select_one("form.term-form input[name=csrf_token]")["value"]


def add(client, **fields) -> object:
    return client.post(NEW, data={"csrf_token": token(client)} | MISBRUG | fields)


def text(textarea) -> str:
    """A textarea's text as a browser reads it (without the newline after the tag)."""
    return textarea.get_text().removeprefix("\r\n").removeprefix("\n")


def found(client, query: str) -> list[str]:
    answer = client.get("/api/search", query_string={"q": query}).get_json()
    return [r["url"] for r in answer["results"]]


def term(app, slug: str) -> GlossaryTerm | None:
    with app.app_context():
        found = db.session.scalar(sa.select(GlossaryTerm).where(GlossaryTerm.slug == slug))
        db.session.expunge_all()
        return found


def test_a_synonym_added_in_the_browser_is_found_by_the_next_search(app, client, editor):
    assert "/sagsgange/borger-med-misbrug" in found(client, "misbrug")
    assert found(client, "alkohol") == []

    assert add(client).status_code == 302

    assert "/sagsgange/borger-med-misbrug" in found(client, "alkohol")
    # the same pages now; a page with the word typed comes first (issue 12)
    assert set(found(client, "alkohol")) == set(found(client, "misbrug"))
    assert "/ordliste" in found(client, "rusmidler")  # the glossary page knows the word


def test_a_synonym_added_to_an_existing_term_is_found_at_once(app, client, editor):
    url = "/ordliste/sof/rediger"
    fields = {
        f["name"]: f.get("value", "") for f in soup(client.get(url)).select("form.term-form input")
    }
    fields["definition"] = text(soup(client.get(url)).select_one("textarea"))
    assert "/vejviser/sof-organisation" not in found(client, "velfærdsforvaltningen")
    fields["synonyms"] += ", velfærdsforvaltningen"
    assert client.post(url, data=fields).status_code == 302
    assert "/vejviser/sof-organisation" in found(client, "velfærdsforvaltningen")


def test_adding_a_term_is_a_revision_of_the_glossary(app, client, editor):
    response = add(client, note="Nyt ord fra søgestatistikken")
    assert response.headers["Location"].endswith("/ordliste#misbrug")
    saved = revisions_of(app, "ordliste")
    assert (saved[-1].action, saved[-1].note, saved[-1].author_name) == (
        "edit",
        "Nyt ord fra søgestatistikken",
        "Rikke Redaktør",
    )
    new_term = {"term": "misbrug", "long": None, "synonyms": ["alkohol", "rusmidler"]}
    assert new_term | {"definition": "Brug af stoffer."} in saved[-1].state["terms"]
    assert not any(t["term"] == "misbrug" for t in saved[-2].state["terms"])
    assert page(app, "ordliste").edited_in_browser_at is not None
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "glossary_add"))
        assert (entry.object_type, entry.object_id, entry.actor_id) == (
            "glossary_term",
            "misbrug",
            editor.id,
        )
    shown = soup(client.get("/ordliste"))
    assert shown.select_one("dt#misbrug").get_text(strip=True) == "misbrug"


def test_the_jobs_command_marks_the_pages_that_mention_the_word(app, client, editor, runner):
    slugs = ("borger-med-misbrug", "sof-organisation")
    before = {slug: page(app, slug) for slug in slugs}
    revisions = {slug: len(revisions_of(app, slug)) for slug in slugs}
    assert add(client).status_code == 302
    assert page(app, "borger-med-misbrug").glossary_stale
    assert not page(app, "groen-linie").glossary_stale  # does not mention the word

    result = runner.invoke(args=["portal", "jobs", "run"])
    assert "Ordliste:" in result.output, result.output
    for slug in slugs:
        after = page(app, slug)
        assert "/ordliste#misbrug" in after.body_html + "".join(s.text_html for s in after.steps)
        assert "/ordliste#misbrug" not in before[slug].body_html
        # Not a content change: no revision, the same version, not an edit in the browser.
        assert after.version == before[slug].version and after.edited_in_browser_at is None
        assert len(revisions_of(app, slug)) == revisions[slug] and not after.glossary_stale
    again = runner.invoke(args=["portal", "jobs", "run"])
    assert "Ordliste:" not in again.output  # idempotent: nothing waits


def test_a_long_form_makes_an_abbreviation(app, client, editor):
    assert (
        add(client, term="BBU", long="Børne- og Ungdomsforvaltningen", synonyms="").status_code
        == 302
    )
    url = "/ordliste/bbu/rediger"
    assert "Børne- og Ungdomsforvaltningen" in client.get(url).get_data(as_text=True)
    shown = soup(client.get("/ordliste")).select_one("dt#bbu").get_text(" ", strip=True)
    assert shown == "BBU (Børne- og Ungdomsforvaltningen)"


def test_the_glossary_history_compares_terms(app, client, editor):
    add(client)
    url = "/ordliste/bif/rediger"
    data = {
        f["name"]: f.get("value", "") for f in soup(client.get(url)).select("form.term-form input")
    }
    data["definition"] = "Forvaltningen for beskæftigelse og integration."
    assert client.post(url, data=data).status_code == 302
    number = revisions_of(app, "ordliste")[-1].number

    history = client.get("/vejviser/ordliste/historik")
    assert history.status_code == 200
    assert "Rettet: BIF" in history.get_data(as_text=True)
    assert not soup(history).select("form[action*=gendan]")  # terms are edited one by one
    compare = soup(client.get(f"/vejviser/ordliste/sammenlign?fra={number - 2}&til={number}"))
    changes = {li.strong.get_text(): li for li in compare.select("ul.diff-terms > li")}
    assert set(changes) == {"misbrug", "BIF"}
    assert "(tilføjet)" in changes["misbrug"].get_text()
    assert changes["BIF"].select_one("ins").get_text(strip=True).startswith("tilføjet:")
    assert "Ingen forskel" not in compare.get_text()
    changes_page = soup(client.get("/aendringer"))
    link = changes_page.find(
        "a", href=f"/vejviser/ordliste/sammenlign?fra={number - 1}&til={number}"
    )
    assert link is not None


def test_removing_a_term_needs_the_tick_and_then_takes_its_synonyms_out_of_search(
    app, client, editor
):
    add(client)
    url = "/ordliste/misbrug/rediger"
    form = soup(client.get(url)).select_one("form[action='/ordliste/misbrug/fjern']")
    assert "søgningen bruger ikke længere dets synonymer" in form.find_previous("p").get_text()
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    refused = client.post("/ordliste/misbrug/fjern", data=data)
    assert refused.status_code == 302 and term(app, "misbrug") is not None

    done = client.post("/ordliste/misbrug/fjern", data=data | {"fjern-confirm": "y"})
    assert done.headers["Location"].endswith("/ordliste")
    assert term(app, "misbrug") is None
    assert revisions_of(app, "ordliste")[-1].note == "Fjernet: misbrug"
    assert not set(found(client, "alkohol")) - {"/ordliste"}
    assert page(app, "borger-med-misbrug").glossary_stale  # marked again by the jobs


CPR = "Fx 010190-1234."


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        ({"term": " "}, "term", "Skal udfyldes."),
        ({"definition": ""}, "definition", "Skal udfyldes."),
        ({"term": "bif"}, "term", "«bif» står allerede i ordlisten (under «BIF»)."),
        (
            {"synonyms": "alkohol, socialforvaltningen"},
            "synonyms",
            "«socialforvaltningen» (under «SOF»)",
        ),
        ({"long": "Socialforvaltningen"}, "long", "står allerede i ordlisten"),
        ({"definition": CPR}, "definition", "CPR-nummer"),
        ({"synonyms": "0101901234"}, "synonyms", "CPR-nummer"),
        ({"term": "x" * 121}, "term", "højst 120 tegn"),
        ({"long": "x" * 301}, "long", "højst 300 tegn"),
        ({"definition": "x" * 2001}, "definition", "højst 2000 tegn"),
    ],
)
def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(
    app, client, editor, fields, name, message
):
    before = len(revisions_of(app, "ordliste"))
    response = add(client, **fields)
    assert response.status_code == 400
    shown = soup(response)
    assert message in shown.select_one(f"#{name}-fejl").get_text()
    for key, value in fields.items():  # the typed text stays
        kept = shown.select_one(f"[name={key}]")
        assert (text(kept) if kept.name == "textarea" else kept.get("value", "")) == value
    assert term(app, "misbrug") is None and len(revisions_of(app, "ordliste")) == before


def test_a_stale_form_is_refused_and_shows_what_is_saved_now(app, client, editor, auth, make_user):
    url = "/ordliste/sof/rediger"
    mine = {
        f["name"]: f.get("value", "") for f in soup(client.get(url)).select("form.term-form input")
    }
    mine["definition"] = "Min forklaring."
    other = app.test_client()
    make_user("editor", email="anden@example.com")
    from tests.conftest import Auth

    Auth(other).login("anden@example.com")
    theirs = {
        f["name"]: f.get("value", "") for f in soup(other.get(url)).select("form.term-form input")
    }
    assert other.post(url, data=theirs | {"definition": "Deres forklaring."}).status_code == 302

    refused = client.post(url, data=mine)
    assert refused.status_code == 409
    shown = soup(refused)
    assert text(shown.select_one("textarea[name=definition]")) == "Min forklaring."
    assert "Deres forklaring." in shown.select_one(".their-changes").get_text()
    assert term(app, "sof").definition == "Deres forklaring."
    again = {f["name"]: f.get("value", "") for f in shown.select("form.term-form input")}
    assert client.post(url, data=again | {"definition": "Min forklaring."}).status_code == 302


def test_readers_see_no_editing_links_and_editors_do(client, editor, auth, make_user):
    shown = soup(client.get("/ordliste"))
    assert shown.find("a", string="Tilføj et ord")["href"] == NEW
    assert shown.select_one("dt#bif + dd a.term-edit")["href"] == "/ordliste/bif/rediger"
    make_user("staff", email="laeser@example.com")
    auth.logout()
    auth.login("laeser@example.com")
    shown = soup(client.get("/ordliste"))
    assert not shown.find("a", string="Tilføj et ord") and not shown.select("a.term-edit")


def test_unknown_terms_are_not_found(client, editor):
    assert client.get("/ordliste/findes-ikke/rediger").status_code == 404


def test_only_editors_change_the_glossary(app, client, synced, auth, make_user):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    token = soup(client.get("/")).select_one("input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "fjern-csrf_token": token, "fjern-confirm": "y"}
    assert client.post("/ordliste/sof/fjern", data=data).status_code == 403
    assert client.post(NEW, data=MISBRUG | {"csrf_token": token}).status_code == 403
    assert term(app, "sof") is not None and term(app, "misbrug") is None
    auth.logout()
    anonymous = client.get("/ordliste/sof/rediger")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_glossary_history_is_readable_but_not_restored_as_a_page(client, editor):
    assert client.get("/vejviser/ordliste/historik").status_code == 200
    form = soup(client.get("/vejviser/ordliste/historik")).select_one("input[name=csrf_token]")
    data = {"csrf_token": form["value"], "version": "1"}
    assert client.post("/vejviser/ordliste/historik/1/gendan", data=data).status_code == 404
    assert client.get("/vejviser/ordliste/rediger").status_code == 404  # terms one by one
