"""Danish text analysis for the search index.

The index pickles these analysers, so this module's path and class names must stay stable.
"""

from __future__ import annotations

from functools import cache, lru_cache

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    NgramWordAnalyzer,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

# Only the Danish stop list: the built-in LanguageAnalyzer("da") also drops English words,
# so "IT" (as in "IT-systemer") would vanish.
DANISH_STOPWORDS = frozenset(stoplists["da"])

# Heads of the compounds staff meet ("beskæftigelsesindsats", "Socialcenter",
# "tilbudspakke"). At index time a compound also yields its head and its first part, so that
# a search for "indsats" finds "beskæftigelsesindsats".
COMPOUND_LEXICON = (
    "aftale",
    "behandling",
    "beskæftigelse",
    "bolig",
    "borger",
    "center",
    "chef",
    "enhed",
    "forløb",
    "forvaltning",
    "gruppe",
    "handleplan",
    "hjælp",
    "hotline",
    "indgang",
    "indsats",
    "integration",
    "jobplan",
    "kontakt",
    "kursus",
    "leder",
    "linie",
    "medarbejder",
    "misbrug",
    "model",
    "møde",
    "netværk",
    "notat",
    "ordning",
    "pakke",
    "person",
    "plan",
    "projekt",
    "psykiatri",
    "rådgivning",
    "sag",
    "samarbejde",
    "samtale",
    "strategi",
    "team",
    "tilbud",
    "udvalg",
    "ydelse",
)
INFLECTIONS = ("", "e", "en", "er", "erne", "et", "ets", "ens", "s", "ne", "ene")
LINKING = ("s", "e")  # the Danish linking letters: beskæftigelse-s-indsats
MIN_PART = 3


@cache
def _stem(word: str) -> str:
    return stemmer_for_language("danish")(word)


@cache
def _heads(lexicon: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(stem of an inflected form, canonical stem) pairs, longest first.

    The Danish stemmer is not consistent across inflections ("center" -> "cent", "centret"
    -> "centr"), so every inflected stem of a lexicon word maps to the word's own stem.
    """
    pairs = set()
    for word in lexicon:
        forms = [word + ending for ending in INFLECTIONS]
        if word.endswith("er"):  # center -> centret, centre
            forms += [word[:-2] + "r" + ending for ending in INFLECTIONS]
        for form in forms:
            stem = _stem(form)
            if len(stem) >= MIN_PART:
                pairs.add((stem, _stem(word)))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=200_000)
def _split(lexicon: tuple[str, ...], stem: str) -> tuple[str, ...]:
    """The head and first part of a compound stem, or () if it is not a known compound."""
    for head, canonical in _heads(lexicon):
        if stem.endswith(head) and len(stem) - len(head) >= MIN_PART:
            first = stem[: -len(head)]
            for link in LINKING:
                if first.endswith(link) and len(first) - 1 >= MIN_PART:
                    first = first[:-1]
                    break
            return tuple(p for p in (canonical, _stem(first)) if p != stem)
    return ()


class CompoundSplitFilter(Filter):
    """At index time, after stemming: keep the token and add the parts of a known compound at
    the same position. At query time it does nothing, so queries stay precise."""

    def __init__(self, lexicon: tuple[str, ...] = COMPOUND_LEXICON):
        self.lexicon = tuple(lexicon)

    def __eq__(self, other):
        return type(self) is type(other) and self.lexicon == other.lexicon

    def parts(self, stem: str) -> tuple[str, ...]:
        return _split(self.lexicon, stem)

    def __call__(self, tokens):
        for token in tokens:
            yield token
            if getattr(token, "mode", "") != "index":
                continue
            original = token.text
            for part in self.parts(original):
                token.text = part
                yield token
            token.text = original


def danish_analyzer(compounds: bool = True):
    """Tokenise, lowercase, drop Danish stop words, stem (Snowball), split compounds.
    Never folds æ, ø or å."""
    chain = (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=DANISH_STOPWORDS)
        | StemFilter(lang="danish", cachesize=50_000)
    )
    return chain | CompoundSplitFilter() if compounds else chain


def spelling_analyzer():
    """Unstemmed words, for "Mente du …?": suggestions must be real words."""
    return RegexTokenizer() | LowercaseFilter() | StopFilter(stoplist=DANISH_STOPWORDS)


def suggest_analyzer():
    """Word-start n-grams of titles and names, for suggestions as you type."""
    return NgramWordAnalyzer(minsize=2, maxsize=24, at="start")
