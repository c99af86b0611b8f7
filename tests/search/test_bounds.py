"""Search is public: every query's cost is bounded by construction. Generated worst cases (long
random words, many words, digits, Whoosh syntax) are cut to the same small shape, and the costly
parts (edit-distance automata for fuzzy terms and "mente du") run for a few short words only.
Timings are printed by ``bench/search_worst.py``, not asserted here."""

from __future__ import annotations

import random
import string

import pytest
from whoosh import query as Q

from portal.search import engine

ALPHABET = string.ascii_lowercase + "æøå"
SYNTAX = ["title:*", "kind:nyheder", '"', "((((", "AND", "OR", "NOT", "~2", "^3", "*?", "\\", "%_"]


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


@pytest.mark.parametrize("text", worst_cases())
def test_fuzzy_terms_are_few_and_only_for_short_words_without_digits(text):
    query = engine._fuzzy_query(engine.bounded(text))
    fuzzy = [q for q in query.leaves() if isinstance(q, Q.FuzzyTerm)] if query else []
    assert len(fuzzy) <= engine.FUZZY_WORDS * len(engine.FUZZY_FIELDS) * 2  # a word may stem to 2
    assert all(len(q.text) <= engine.FUZZY_MAX_LENGTH for q in fuzzy)
    assert not any(ch.isdigit() for q in fuzzy for ch in q.text)


def test_worst_cases_answer_and_look_up_few_spellings(indexed, api, monkeypatch):
    from whoosh.searching import Searcher

    calls = []
    real = Searcher.suggest

    def counting(self, *args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("text"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "suggest", counting)
    for text in worst_cases(count=10):
        calls.clear()
        answer = api(text[:500])
        assert answer["total"] >= 0
        assert len(calls) <= engine.FUZZY_WORDS
        assert all(engine.fuzzy_candidate(word) for word in calls)


@pytest.mark.parametrize(
    ("text", "same_as"),
    [("title:*", "title"), ("kind:nyheder", "kind nyheder"), ("url:/vejviser/*", "url vejviser")],
)
def test_whoosh_field_and_wildcard_syntax_is_only_words(indexed, api, text, same_as):
    """Field names and wildcards are words like any other, never a way to list everything."""
    assert api(text)["results"] == api(same_as)["results"]
