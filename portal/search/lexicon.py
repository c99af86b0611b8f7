"""The Danish word list behind compound splitting, and the splitter itself (the approach of
Elasticsearch's dictionary decompounder, choosing among splits by word frequency).

Engine-independent: it works on surface words (lowercase, before stemming), so any engine
can index and query the same parts.

The dictionary is wordfreq's Danish list (about 29,000 words with their frequencies, from
subtitles, Wikipedia, news and the web; installed from PyPI like any other dependency, so a
fresh clone has it), plus the domain words shipped with the content
(``content/soegning/ord.txt``: the administrations' own words that a general list lacks,
such as "rusmiddel" or "handleplan"), plus, at query time, the index's own vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from whoosh.lang.stopwords import stoplists

CONTENT_WORDS = Path(__file__).resolve().parents[2] / "content" / "soegning" / "ord.txt"
DANISH_STOPWORDS = frozenset(stoplists["da"])

MIN_PART = 3  # no part shorter than this ("rus" in "rusmiddel")
MIN_COMPOUND = 6  # no word shorter than this is split
MAX_COMPOUND = 40
LINKING = "se"  # the Danish linking letters: beskæftigelse-s-indsats, barn-e-pige
DOMAIN_COST = 12.0  # a domain word counts as one of frequency about 6 per million
KNOWN_COST = 14.0  # a word of the index that no list has
PART_PENALTY = 3.0  # each part costs this much more: fewer, longer parts win
SHORT_PART_PENALTY = 4.0  # a 3-letter part ("rus", "sam") must be a common word
SPLIT_BONUS = 14.0  # a listed word is still split when its parts are this much likelier
# Prefixes that are words on their own in a general list ("mis" is a cat) but make a
# derivation, not a compound: "misbrug" is not "mis" + "brug".
NOT_A_PART = frozenset(["mis", "van", "sam", "gen", "und", "bi", "be", "er"])
# Endings that are words on their own in a general list but, at the end of a word, make a
# derivation rather than a compound ("sankt-ion", "hjemløs-hed", "advise-ring", "marker-ingen").
NOT_A_HEAD = frozenset(
    """hed heden heder ion ionen ioner ing ingen inger ning ningen ninger ring ringen ringer
    else elsen dom dommen skab skabet lig lige isk iske ere erne""".split()  # noqa: SIM905
)


def _wordfreq_costs() -> dict[str, float]:
    try:
        from wordfreq import get_frequency_dict
    except ImportError:  # pragma: no cover - a dependency; the domain list still works
        return {}
    return {
        word: -math.log(freq)
        for word, freq in get_frequency_dict("da", wordlist="best").items()
        if word.isalpha() and len(word) >= MIN_PART and word not in DANISH_STOPWORDS
    }


def domain_words(path: Path = CONTENT_WORDS) -> list[str]:
    """The shipped domain words: one a line, ``#`` starts a comment."""
    if not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip().lower() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


@cache
def dictionary() -> dict[str, float]:
    """Word -> cost (minus the log of its frequency)."""
    costs = _wordfreq_costs()
    for word in domain_words():
        costs[word] = min(costs.get(word, DOMAIN_COST), DOMAIN_COST)
    return costs


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Danish Snowball stem (the index's stemmer; PostgreSQL's "danish" uses the same)."""
    from whoosh.lang import stemmer_for_language

    return stemmer_for_language("danish")(word)


def is_word(word: str) -> bool:
    return word in dictionary()


def _cost(part: str, known: Callable[[str], bool] | None) -> float | None:
    cost = dictionary().get(part)
    if cost is None and known is not None and len(part) > MIN_PART and known(part):
        cost = KNOWN_COST
    if cost is None:
        return None
    return cost + PART_PENALTY + (SHORT_PART_PENALTY if len(part) == MIN_PART else 0.0)


def split(word: str, known: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The parts of a compound ("misbrugsproblemer" -> ("misbrug", "problemer")), or ()
    when ``word`` is not one. ``known(part)`` may add words (the index's vocabulary)."""
    if known is None:
        return _split_cached(word)
    return _split(word, known)


@lru_cache(maxsize=100_000)
def all_parts(word: str) -> tuple[str, ...]:
    """Every part, and the parts of parts ("stofmisbrugsbehandling" -> "stofmisbrug",
    "behandling", "stof", "misbrug"): what the index holds besides the word, as
    Elasticsearch's decompounder emits every subword it finds."""
    found: list[str] = []
    for part in split(word):
        common = dictionary().get(part, DOMAIN_COST) < DOMAIN_COST  # "misbrug", not "mis-brug"
        found += [part, *(() if common else all_parts(part))]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=100_000)
def _split_cached(word: str) -> tuple[str, ...]:
    return _split(word, None)


def _split(word: str, known: Callable[[str], bool] | None) -> tuple[str, ...]:
    n = len(word)
    if not (MIN_COMPOUND <= n <= MAX_COMPOUND) or not word.isalpha():
        return ()
    # best[i]: the cheapest way to read word[:i] as parts (each may end in a linking letter)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for end in range(MIN_PART, n + 1):
        for start in range(0, end - MIN_PART + 1):
            before = best[start]
            if before is None:
                continue
            piece = word[start:end]
            options = [piece]
            if end < n and piece[-1] in LINKING and len(piece) > MIN_PART:
                options.append(piece[:-1])  # the part, then its linking letter
            for part in options:
                if part == word or part in NOT_A_PART or (end == n and part in NOT_A_HEAD):
                    continue
                cost = _cost(part, known)
                if cost is None:
                    continue
                total = before[0] + cost
                current = best[end]
                if current is None or total < current[0]:
                    best[end] = (total, (*before[1], part))
    found = best[n]
    if found is None or len(found[1]) < 2:
        return ()
    whole = dictionary().get(word)
    if whole is not None and found[0] > whole + SPLIT_BONUS + PART_PENALTY * len(found[1]):
        return ()  # an ordinary word ("samtykke"), not "sam" + "tykke"
    return found[1]
