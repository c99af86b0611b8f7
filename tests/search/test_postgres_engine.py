"""The PostgreSQL engine's own guarantees: the search data is in the database, so a change is
found through any server as soon as it commits; a rebuild is atomic for readers; the words'
counts (the planner's vocabulary, "Mente du") stay equal to a rebuild's; the query language
is never the user's. The relevance suite and the three-writer consistency test run on both
engines (``test_relevance*``, ``test_index_consistency``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import search
from portal.config import ConfigError
from portal.extensions import db
from portal.kb.models import Page
from portal.search import engine, indexing
from portal.search.models import SearchEntry, SearchWord
from portal.search.postgres import store
from portal.transaction import transaction
from tests.conftest import make_test_app
from tests.search.test_bounds import SYNTAX, worst_cases


@pytest.fixture
def database_url(postgres_url):
    return postgres_url  # PostgreSQL only


def rename(app, slug: str, title: str) -> None:
    with app.app_context(), transaction():
        db.session.scalar(sa.select(Page).where(Page.slug == slug)).title = title


def words(app) -> dict[str, tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(sa.select(SearchWord.word, SearchWord.docs, SearchWord.titles))
        return {word: (docs, titles) for word, docs, titles in rows}


def test_it_is_the_default_on_postgresql(indexed):
    with indexed.app_context():
        assert engine.current().name == "postgresql"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchEntry)) > 20
    assert indexed.test_client().get("/readyz").get_json()["search_engine"] == "postgresql"


def test_a_change_is_found_through_another_server_without_catching_up(
    indexed, tmp_path, monkeypatch
):
    other = make_test_app(indexed.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "b")
    monkeypatch.setattr(indexing, "catch_up", lambda every=1.0: None)  # nothing to catch up
    rename(indexed, "jobplan", "Jobplanen hos den anden server")
    with other.test_request_context():
        found = search.search("anden server").results
        assert [r.url for r in found][:1] == ["/vejviser/jobplan"]


def test_a_rebuild_is_atomic_for_readers(indexed, tmp_path):
    reader = make_test_app(indexed.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "reader")
    with reader.test_request_context():
        before = search.search("samtykke").total
    assert before > 0
    with indexed.app_context():
        with indexed.app_context():
            db.session.begin()
            store.replace_all([])  # an empty rebuild, not yet committed
            with reader.test_request_context():
                assert search.search("samtykke").total == before  # the old index, whole
            db.session.rollback()
        with reader.test_request_context():
            assert search.search("samtykke").total == before


def test_the_words_counts_stay_equal_to_a_rebuilds(indexed):
    rename(indexed, "jobplan", "Jobplan med ordet kvadratrodsregning")
    rename(indexed, "samtykke", "Samtykke og kvadratrodsregning")
    rename(indexed, "jobplan", "Jobplan")  # one of the two gone again
    with indexed.app_context(), transaction():
        db.session.delete(db.session.scalar(sa.select(Page).where(Page.slug == "om-kilderne")))
    kept = words(indexed)
    assert kept["kvadratrodsregning"] == (1, 1)
    with indexed.app_context():
        search.rebuild()
        assert search.check().ok
    assert words(indexed) == kept


def test_mente_du_comes_from_the_words_of_the_index(indexed, api):
    assert api("samtyke")["suggestion"] == "samtykke"
    assert api("tilbudspaker")["suggestion"] == "tilbudspakker"
    assert api("samtykke")["suggestion"] is None


@pytest.mark.parametrize(
    "text",
    [*SYNTAX, "a & b", "samtykke:*", "!samtykke", "jobplan <-> samtykke", "'", "''", "\\'",
     "samtykke' | 'jobplan", "æ:* | ø"],
)  # fmt: skip
def test_the_query_language_is_never_the_users(indexed, api, text):
    """tsquery's operators typed by a user are words or nothing, never an error or a way to
    list everything."""
    answer = api(text)
    assert answer["total"] < 40


def test_worst_cases_answer(indexed, api):
    for text in worst_cases(count=20):
        assert api(text[:500])["total"] >= 0


def test_it_needs_a_postgresql_database(tmp_path):
    with pytest.raises(ConfigError, match="kræver en PostgreSQL-database"):
        make_test_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, SEARCH_ENGINE="postgresql")
    with pytest.raises(ConfigError, match="'whoosh' eller 'postgresql'"):
        make_test_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, SEARCH_ENGINE="solr")


def refused(*args, **kwargs):
    db.session.execute(sa.text("SELECT CAST('&&' AS tsquery)"))  # a syntax error


def broken(*args, **kwargs):
    raise KeyError("a bug that some query reaches")


@pytest.mark.parametrize("failure", [refused, broken])
def test_a_failed_query_falls_back_without_a_rebuild(indexed, api, monkeypatch, failure):
    """A statement the database refuses, or a bug, is a failed query, not a damaged index: the
    page answers from the database (with its notice) and nothing is rebuilt."""
    from portal.search.postgres import query

    rebuilds = []
    monkeypatch.setattr(query, "run", failure)
    monkeypatch.setattr(indexing, "rebuild_soon", lambda app: rebuilds.append(app))
    answer = indexed.test_client().get("/soeg", query_string={"q": "samtykke"})
    assert answer.status_code == 200
    assert "enklere udgave" in answer.get_data(as_text=True)
    assert rebuilds == []
    answer = api("samtykke")  # the next search (another transaction) answers, and says how
    assert answer["total"] > 0 and answer["fallback"] is True


def test_a_statement_that_runs_too_long_is_cancelled_and_the_page_answers(
    indexed, api, monkeypatch
):
    from portal.search.postgres import engine as postgres_engine
    from portal.search.postgres import query

    def slow(*args, **kwargs):
        db.session.execute(sa.text("SELECT pg_sleep(5)"))

    monkeypatch.setattr(postgres_engine, "STATEMENT_TIMEOUT", "100ms")
    monkeypatch.setattr(query, "run", slow)
    answer = indexed.test_client().get("/soeg", query_string={"q": "samtykke"})
    assert answer.status_code == 200
    assert "enklere udgave" in answer.get_data(as_text=True)
    monkeypatch.undo()
    assert api("samtykke")["total"] > 0  # and the next search runs with no such limit left
