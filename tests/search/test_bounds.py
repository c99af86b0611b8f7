"""Search is public: every query's cost is bounded by construction. Generated worst cases (long
random words, many words, digits, Whoosh syntax) are cut to the same small shape, and the costly
parts (edit-distance automata for fuzzy terms and "mente du") run for a few short words only.
Timings are printed by ``bench/search_worst.py``, not asserted here."""

from __future__ import annotations

import random
import string

import pytest

from portal.search import engine, whoosh_search

ALPHABET = string.ascii_lowercase + "æøå"
SYNTAX = ["title:*", "kind:nyheder", '"', "((((", "AND", "OR", "NOT", "~2", "^3", "*?", "\\", "%_"]


@pytest.fixture
def app_config(app_config):
    """Whoosh's own bounds (edit-distance look-ups, the time budget), on either database;
    the PostgreSQL engine's worst cases are in ``test_postgres_engine``."""
    return {**app_config, "SEARCH_ENGINE": "whoosh"}


def worst_cases(seed: int = 7, count: int = 40) -> list[str]:
    rng = random.Random(seed)

    def word(n: int, alphabet: str = ALPHABET) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    cases = [word(500), word(41), " ".join(word(20) for _ in range(25))]
    cases.append(" ".join(word(12, string.digits + "ab") for _ in range(40)))
    cases.append(" ".join(rng.choice(SYNTAX) + word(8) for _ in range(30)))
    for _ in range(count):
        words = [
            word(rng.randint(1, 60), rng.choice([ALPHABET, string.digits + ALPHABET]))
            for _ in range(rng.randint(1, 80))
        ]
        cases.append(" ".join(words)[:500])
    return cases


@pytest.mark.parametrize("text", worst_cases())
def test_a_query_is_cut_to_a_bounded_shape(text):
    words = engine.bounded(text).split()
    assert len(words) <= engine.MAX_WORDS
    assert all(len(w) <= engine.MAX_WORD_LENGTH for w in words)


def test_edit_distance_lookups_are_few_and_only_for_short_words_without_digits(
    indexed, api, monkeypatch
):
    """Words are looked up by edit distance (the costly part) for at most ``FUZZY_WORDS``
    ordinary words per query, and each stands for at most ``NEAR_TERMS`` words of the index."""
    calls = []
    real = whoosh_search.near_terms

    def counting(reader, fieldname, word, maxdist, prefix):
        found = real(reader, fieldname, word, maxdist, prefix)
        calls.append((fieldname, word, found))
        return found

    monkeypatch.setattr(whoosh_search, "near_terms", counting)
    for text in worst_cases(count=10):
        calls.clear()
        answer = api(text[:500])
        assert answer["total"] >= 0
        words = {word for fieldname, word, _ in calls if fieldname != "spelling"}
        spellings = [word for fieldname, word, _ in calls if fieldname == "spelling"]
        assert len(words) <= engine.FUZZY_WORDS * 2  # a word may stem to two
        assert len(spellings) <= engine.FUZZY_WORDS
        assert all(len(w) <= engine.FUZZY_MAX_LENGTH for w in words | set(spellings))
        assert not any(ch.isdigit() for w in words | set(spellings) for ch in w)


def test_near_terms_are_the_closest_words_with_the_same_beginning(indexed, app):
    from portal.search.index import searcher

    with app.app_context():
        reader = searcher(app.config["SEARCH_INDEX_DIR"]).reader()
        found = whoosh_search.near_terms(reader, "spelling", "samtyke", maxdist=2, prefix=1)
        assert found[0] == "samtykke"
        assert all(term.startswith("s") for term in found)
        assert whoosh_search.near_terms(reader, "spelling", "samtyke", maxdist=2, prefix=2) == [
            t for t in found if t.startswith("sa")
        ]
        # A swap of two letters is one edit.
        assert "samtykke" in whoosh_search.near_terms(reader, "spelling", "samtkyke", 1, prefix=2)


@pytest.mark.parametrize(
    ("text", "same_as"),
    [("title:*", "title"), ("kind:nyheder", "kind nyheder"), ("url:/vejviser/*", "url vejviser")],
)
def test_whoosh_field_and_wildcard_syntax_is_only_words(indexed, api, text, same_as):
    """Field names and wildcards are words like any other, never a way to list everything."""
    assert api(text)["results"] == api(same_as)["results"]


def test_a_search_out_of_time_answers_with_what_it_has(indexed, api, monkeypatch, caplog):
    """Collecting hits stops at ``TIME_BUDGET``: here a budget that has run out at once."""
    from portal.search import whoosh_search

    assert api("handleplan")["total"] > 0
    monkeypatch.setattr(whoosh_search, "TIME_BUDGET", 0.0)
    answer = api("handleplan")
    assert answer["total"] == 0
    assert "search stopped after" in caplog.text
