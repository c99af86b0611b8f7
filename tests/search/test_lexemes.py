"""The PostgreSQL engine's lexemes are the Whoosh index's terms: its word-by-word analysis
(``lexemes.analysed``, cached per word) yields what the analyzer yields for the whole text."""

from collections import defaultdict
from pathlib import Path

import pytest

from portal.search.analysis import danish_analyzer
from portal.search.postgres import lexemes

CONTENT = sorted((Path(__file__).parents[2] / "content").rglob("*.md"))
EDGES = [
    "Det er en rusmiddelbehandling i SOF",  # stop words before the first word kept
    "I og x BIF f.eks. 3.5 og beskæftigelsesindsatsen",  # one letter, dots, numbers
    "a" * 250 + " misbrugsproblemer " + "og " * 3 + "Hjemløs",
    "",
]


def by_analyzer(text: str) -> list[tuple[int, tuple[str, ...]]]:
    at: dict[int, list[str]] = defaultdict(list)
    for token in danish_analyzer()(text, positions=True, mode="index"):
        at[token.pos].append(token.text)
    return [(pos, tuple(found)) for pos, found in at.items()]


@pytest.mark.parametrize("text", [*EDGES, *(p.read_text("utf-8") for p in CONTENT)])
def test_word_by_word_is_the_analyzers_analysis(text):
    assert list(lexemes.analysed(text)) == by_analyzer(text)
