"""Lucene's common terms on both engines (``engine.rare``): a word on most pages of a large
index does not choose the broader hits."""

import pytest

from portal import search
from portal.search import engine
from portal.search.registry import SearchDocument
from tests.search.conftest import ENGINES, engine_app


def page(i: int, word: str) -> SearchDocument:
    return SearchDocument(
        source="test", key=str(i), kind="vejviser", title=f"Side {i}", url=f"/t/{i}",
        administration="both", summary="", body=f"Om {word} og andet.", tags=(),
    )  # fmt: skip


@pytest.mark.parametrize("name", ENGINES)
def test_a_common_word_does_not_choose_the_broader_hits(name, tmp_path):
    """Nothing has both words: the pages with the rare word answer, not the hundreds with only
    the common one (scoring those would read every one); in a small index both count."""
    rare = [page(i, "ombudsmand") for i in range(5)]
    with engine_app(name, tmp_path, demo=False) as app:
        for common, found in ((50, engine.BROADER_LIMIT), (300, len(rare))):
            docs = rare + [page(len(rare) + i, "kaffemaskine") for i in range(common)]
            with app.app_context():
                engine.current().replace_all(docs, len(docs))
            with app.test_request_context():
                result = search.search("kaffemaskine ombudsmand")
            assert result.total == found, common
    assert {r.url for r in result.results} == {doc.url for doc in rare}


def test_a_common_compound_is_not_looked_for_as_near_words_in_the_broader_search(tmp_path):
    """PostgreSQL checks near words position by position on every page with both parts: when
    a compound's slot chooses the broader hits while on more than ``COMMON_PAGES`` pages, it
    is searched as its word and its pair, not as its parts near each other."""
    if "postgresql" not in ENGINES:
        pytest.skip("PORTAL_TEST_POSTGRES_URL er ikke sat")
    compound = [page(i, "kaffemaskine") for i in range(3)]
    near = [page(3 + i, "kaffe og en maskine") for i in range(300)]
    office = [page(303 + i, "kontor") for i in range(350)]  # commoner: does not choose
    with engine_app("postgresql", tmp_path, demo=False) as app:
        docs = compound + near + office
        with app.app_context():
            engine.current().replace_all(docs, len(docs))
        with app.test_request_context():
            result = search.search("kaffemaskine kontor")
    assert {r.url for r in result.results} == {doc.url for doc in compound}


def test_whooshs_broader_search_looks_for_near_words_only_where_they_are_on_few_pages(tmp_path):
    """A rare word lets the strict search look for the compound's parts as near words (few
    pages have every word); when nothing has them all, the broader search looks for a slot's
    near words only where they are on at most ``COMMON_PAGES`` pages (Whoosh checks positions
    on every page with both parts), so the compound's slot is its 3 pages, not 303, and is
    rare enough to choose. (PostgreSQL counts the slot's near words when it chooses, finds
    them on 303 pages, and answers with the rare word's pages only.)"""
    compound = [page(i, "kaffemaskine") for i in range(3)]
    rare = [page(3 + i, "ombudsmand") for i in range(5)]
    near = [page(8 + i, "kaffe og en maskine") for i in range(300)]
    office = [page(308 + i, "kontor") for i in range(350)]  # commoner: does not choose
    with engine_app("whoosh", tmp_path, demo=False) as app:
        docs = compound + rare + near + office
        with app.app_context():
            engine.current().replace_all(docs, len(docs))
        with app.test_request_context():
            result = search.search("kaffemaskine kontor ombudsmand")
    assert {r.url for r in result.results} == {doc.url for doc in compound + rare}
