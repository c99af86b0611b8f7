"""Danish text analysis for the search index.

The index pickles these analysers, so this module's path and class names must stay stable.
"""

from __future__ import annotations

import itertools

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    NgramWordAnalyzer,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import TEXT

from portal.search import lexicon

# Only the Danish stop list: the built-in LanguageAnalyzer("da") also drops English words,
# so "IT" (as in "IT-systemer") would vanish.
DANISH_STOPWORDS = lexicon.DANISH_STOPWORDS

# Bump when the analysis changes what the index holds: an index built with another version is
# rebuilt (``index.open_index`` treats it as an old schema).
ANALYSIS_VERSION = 3


class CompoundSplitFilter(Filter):
    """At index time, before stemming: keep the word and add the parts of a compound
    (``lexicon.split``: a dictionary decompounder) at the same position, so "indsats" finds
    "beskæftigelsesindsatsen". At query time it does nothing: the planner
    (``understanding``) splits what the user typed, and weighs the parts below the word."""

    def __init__(self, version: int = ANALYSIS_VERSION):
        self.version = version

    def __eq__(self, other):
        return type(self) is type(other) and getattr(other, "version", None) == self.version

    def parts(self, word: str) -> tuple[str, ...]:
        return lexicon.all_parts(word)

    def __call__(self, tokens):
        for token in tokens:
            yield token
            if getattr(token, "mode", "") != "index":
                continue
            original = token.text
            token.part = True
            for part in self.parts(original):
                if part not in DANISH_STOPWORDS:
                    token.text = part
                    yield token
            token.text, token.part = original, False


def pair(first: str, second: str) -> str:
    """Two neighbouring parts of a compound as one term ("rusmiddel+behandl"): a query for the
    parts finds the compounds made of them as a term, where a phrase or span query would read
    the positions of every page that has both words. No other term has a "+"."""
    return f"{first}+{second}"


def pairs(parts: list[str]) -> list[str]:
    return [pair(a, b) for a, b in itertools.pairwise(parts)]


class CompoundPairFilter(Filter):
    """At index time, after stemming: a compound's neighbouring parts' stems also as one term
    at the word's position (``pairs``), after its parts."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        word, parts = None, list[str]()
        for token in tokens:
            if getattr(token, "part", False):
                if word is None:  # a compound's first part: its position and characters
                    word = token.copy()
                parts.append(token.text)
            elif parts:
                if len(parts) > 1:
                    yield from _pair_tokens(word, parts)
                word, parts = None, []
            yield token
        if len(parts) > 1:
            yield from _pair_tokens(word, parts)


def _pair_tokens(word, parts: list[str]):
    for pair in pairs(parts):
        word.text = pair
        yield word


class DanishText(TEXT):
    """A text field analysed by ``danish_analyzer``, whose compounds' pairs are terms of the
    field but not words of its length: BM25 divides by the length, and a text with many
    compounds would otherwise rank lower for its other words."""

    def index(self, value, **kwargs):
        for term, freq, weight, encoded in super().index(value, **kwargs):
            yield term, (0 if b"+" in term else freq), weight, encoded


class StemNormalizeFilter(Filter):
    """The Danish Snowball stemmer reads "center" as "cent" but "centret" as "centr" (and so
    "teater", "filter"): a stem ending in "tr" loses the "r", so every form meets."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if len(text) >= 5 and text.endswith("tr"):
                token.text = text[:-1]
            yield token


def danish_analyzer(compounds: bool = True):
    """Tokenise, lowercase, drop Danish stop words, split compounds, stem (Snowball), and
    add compounds' neighbouring parts as pairs. Never folds æ, ø or å."""
    chain = RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=DANISH_STOPWORDS)
    if compounds:
        chain = chain | CompoundSplitFilter()
    chain = chain | StemFilter(lang="danish", cachesize=50_000) | StemNormalizeFilter()
    return chain | CompoundPairFilter() if compounds else chain


def spelling_analyzer():
    """Unstemmed words, for "Mente du …?": suggestions must be real words."""
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=DANISH_STOPWORDS)


def suggest_analyzer():
    """Word-start n-grams of titles and names, for suggestions as you type."""
    return NgramWordAnalyzer(minsize=2, maxsize=24, at="start")
