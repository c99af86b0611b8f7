"""Issue 12's relevance classes against the demo data (``portal setup --demo``: the content,
the demo people, meetings and news), through the search service."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import Markup

from portal import search
from portal.extensions import db
from portal.search import engine, index, services
from portal.search.registry import SearchDocument
from portal.transaction import transaction
from tests.search.conftest import ENGINES, engine_app
from tests.search.questions import QUESTIONS

CONTENT = Path(__file__).resolve().parents[2] / "content"


def pages_with(pattern: str) -> set[str]:
    """The addresses of the content pages whose file matches ``pattern`` (lowercased)."""
    return {
        "/ordliste" if path.stem == "ordliste" else f"/{path.parent.name}/{path.stem}"
        for path in CONTENT.glob("*/*.md")
        if re.search(pattern, path.read_text("utf-8").lower())
    }


@pytest.fixture(scope="module", params=ENGINES)
def demo(request, tmp_path_factory):
    """The demo data, indexed by each engine (the same relevance classes hold on both)."""
    with engine_app(request.param, tmp_path_factory.mktemp("relevance_classes")) as app:
        yield app


@pytest.fixture
def whoosh_demo(demo):
    if demo.config["SEARCH_ENGINE"] != "whoosh":
        pytest.skip("about the Whoosh index directory")
    return demo


def urls(app, q: str, n: int = 3, **filters) -> list[str]:
    with app.test_request_context():
        return [r.url for r in search.search(q, **filters).results[:n]]


def results(app, q: str, **filters):
    with app.test_request_context():
        return search.search(q, **filters).results


@pytest.mark.parametrize("question, expected", QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_natural_questions(demo, question, expected):
    """Each finds a right page in the top three."""
    top = urls(demo, question)
    assert any(url.startswith(e) for url in top for e in expected), f"{question!r}: {top}"


# Question phrasing


def test_question_words_do_not_decide_the_ranking(demo):
    assert urls(demo, "hvem skal jeg ringe til i SOF", 1) == urls(demo, "SOF", 1)
    assert urls(demo, "hvordan laver jeg en social handleplan", 1) == [
        "/vejviser/social-handleplan"
    ]


def test_when_not_every_word_matches_the_most_of_the_query_comes_first(demo):
    # No page has "zyxwvq"; the handicap procedure has all three other words
    assert urls(demo, "handicap aflastning tolk zyxwvq", 1) == ["/sagsgange/borger-med-handicap"]


# Compounds


def test_a_typed_compound_finds_pages_about_its_parts(demo):
    assert "/sagsgange/borger-med-misbrug" in urls(demo, "rusmiddelbehandling")
    assert "/sagsgange/borger-med-misbrug" in urls(demo, "misbrugsproblemer")
    assert urls(demo, "samtykkeerklæringen", 1) == ["/vejviser/samtykke"]


def test_a_page_with_the_exact_compound_ranks_first(demo):
    exact = pages_with("stofmisbrugsbehandling")
    assert len(exact) >= 1
    assert set(urls(demo, "stofmisbrugsbehandling", len(exact))) == exact


# ASCII spellings


def test_ascii_spellings_find_the_danish_words(demo):
    assert urls(demo, "groen linie", 1) == ["/vejviser/groen-linie"]
    assert urls(demo, "foertidspension") == urls(demo, "førtidspension")
    assert urls(demo, "hjemloes borger", 1) == ["/sagsgange/hjemloes-borger"]


def test_a_name_spelt_with_aa_is_not_folded(demo):
    found = results(demo, "Aagaard", kind="kontaktpersoner")
    assert found and all("Aagaard" in r.title for r in found)


# Everyday words and synonyms


def test_everyday_words_find_the_portals_words(demo):
    assert urls(demo, "narkotika", 1) == ["/sagsgange/borger-med-misbrug"]
    assert "/sagsgange/borger-med-misbrug" in urls(demo, "druk")
    assert "/sagsgange/hjemloes-borger" in urls(demo, "borgeren har ingen bolig")


def test_a_synonym_never_outranks_a_literal_match(demo):
    """Among the guides and procedures for "bolig", every page with the word comes before
    every page found only through its synonym "hjemløs"."""
    literal = pages_with(r"\bbolig")
    every = pages_with("")
    pages = [r.url for r in results(demo, "bolig") if r.url in every]
    flags = [url in literal for url in pages]
    assert True in flags and False in flags  # the test proves something
    assert flags == sorted(flags, reverse=True), pages


def test_a_synonym_editors_add_in_the_glossary_is_searched(demo):
    from portal.kb import glossary

    with demo.test_request_context():
        assert "/vejviser/groen-linie" not in urls(demo, "flyvende tallerken")
        term = glossary.get_term("groen-linie")
        term.synonyms = [*term.synonyms, "flyvende tallerken"]
        db.session.commit()
        try:
            assert "/vejviser/groen-linie" in urls(demo, "flyvende tallerken")
        finally:
            term.synonyms = [s for s in term.synonyms if s != "flyvende tallerken"]
            db.session.commit()


# Kinds


def test_for_a_topic_guides_and_procedures_come_before_people(demo):
    found = results(demo, "misbrug")
    assert any(r.kind == "kontaktpersoner" for r in found)  # demo people have the area
    assert all(r.kind in ("vejviser", "sagsgange") for r in found[:3]), found[:3]


def test_a_person_found_by_name_comes_first(demo):
    assert results(demo, "Søren")[0].kind == "kontaktpersoner"


def test_a_persons_snippet_is_title_centre_and_team(demo):
    people = results(demo, "misbrug", kind="kontaktpersoner")
    assert people
    for person in people:
        text = re.sub(r"</?mark>", "", str(person.snippet))
        assert isinstance(person.snippet, Markup)
        assert text.count(" · ") >= 1, text  # job title · centre (· team)
        assert not text.endswith("…")


def test_a_cancelled_demo_meeting_comes_after_the_upcoming_ones(demo):
    meetings = [r.title for r in results(demo, "gå-hjem-møde") if r.kind == "kalender"]
    cancelled = [t.startswith("Aflyst:") for t in meetings]
    assert True in cancelled and False in cancelled
    assert cancelled == sorted(cancelled), meetings


def test_cancelled_and_past_meetings_rank_below_upcoming_ones(demo):
    now = datetime.now(UTC)
    states = [
        ("901", "Temamøde om kvaksalveri", {"past_after": now - timedelta(days=2)}),
        ("902", "Aflyst: Temamøde om kvaksalveri", {"cancelled": True}),
        ("903", "Temamøde om kvaksalveri", {"past_after": now + timedelta(days=9)}),
        ("904", "Temamøde om kvaksalveri", {}),  # a series without end
    ]
    docs = {
        f"event:{key}": SearchDocument(
            source="event",
            key=key,
            kind="kalender",
            title=title,
            url=f"/kalender/{key}",
            summary="Temamøde om kvaksalveri.",
            **state,
        )
        for key, title, state in states
    }

    def apply(load):
        with demo.app_context(), transaction():
            engine.current().apply(list(docs), load)

    apply(docs.get)
    try:
        order = [r.url for r in results(demo, "temamøde kvaksalveri")]
        assert set(order[:2]) == {"/kalender/903", "/kalender/904"}
        assert set(order[2:]) == {"/kalender/901", "/kalender/902"}
    finally:
        apply(lambda doc_id: None)
    assert results(demo, "kvaksalveri") == []


# Partial words


def test_enter_on_a_word_start_finds_what_the_suggestions_offer(demo):
    with demo.test_request_context():
        offered = {s["url"] for s in services.suggest("misb")}
        found = {r.url for r in search.search("misb").results}
    assert "/sagsgange/borger-med-misbrug" in found
    assert offered and offered <= found
    with demo.test_request_context():
        assert search.search("misb").suggestion is None  # a word start is no misspelling


def test_a_short_word_start_is_not_completed(demo):
    assert urls(demo, "mi") == []


# The directory


def test_the_directory_box_uses_the_same_analysis(demo):
    client = demo.test_client()
    for q in ("misb", "groen linie", "narkotika"):
        answer = client.get("/api/contacts", query_string={"q": q}).get_json()
        directory = {c["url"] for c in answer["contacts"]}
        with demo.test_request_context():
            wanted = {r.url for r in search.search(q, kind="kontaktpersoner").results}
        assert wanted, q
        assert wanted <= directory, q


# The index is rebuilt when the analysis changes


def _old_analysis_index(directory: str) -> None:
    from whoosh.index import create_in

    from portal.search import analysis

    old = index.schema()
    for name in ("title", "name", "tags", "summary", "body"):
        for item in old[name].analyzer.items:
            if isinstance(item, analysis.CompoundSplitFilter):
                item.version = analysis.ANALYSIS_VERSION - 1
    index.forget(directory)
    create_in(directory, old)


def test_search_sync_rebuilds_an_index_of_an_older_analysis(whoosh_demo):
    demo = whoosh_demo
    directory = demo.config["SEARCH_INDEX_DIR"]
    _old_analysis_index(directory)
    output = demo.test_cli_runner().invoke(args=["portal", "search", "sync"]).output
    assert "bygget forfra" in output
    with demo.app_context():
        assert index.open_index(directory) is not None
        assert search.check().ok


def test_an_index_of_an_older_analysis_is_rebuilt(whoosh_demo):
    demo = whoosh_demo
    directory = demo.config["SEARCH_INDEX_DIR"]
    with demo.test_request_context():
        _old_analysis_index(directory)
        with pytest.raises(index.IndexUnavailable, match="old schema"):
            index.open_index(directory)
        page = search.search("samtykke")
        assert page.notice == "Søgeindekset var ikke klar og er netop bygget igen."
        assert "/vejviser/samtykke" in [r.url for r in page.results[:3]]
        assert index.open_index(directory) is not None
