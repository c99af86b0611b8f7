"""From what a person typed to what to search for: engine-independent.

A query becomes a ``Plan``: slots, one per word or synonym phrase that should match, each with
weighted alternatives (the word as typed, its æ/ø/å spelling, its compound parts, its
synonyms). Question words and the everyday "borger" are dropped unless nothing else is left.
An engine turns a plan into its own query (``portal.search.engine`` for Whoosh); it tells the
planner what its index knows through ``Vocabulary``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from portal.search import lexicon

# Weights of the alternatives: a literal match always scores above any other.
LITERAL = 1.0
FOLDED = 0.9  # "groen" for "grøn": what the person meant
PARTS = 0.5  # "rusmiddel" + "behandling" for "rusmiddelbehandling"
SYNONYM = 0.25  # "misbrug" for "druk"
PREFIX = 0.6  # "misbrug" for "misb"
MIN_PREFIX = 3
PREFIX_TERMS = 8
MAX_FOLDS = 8

# Words of a question that say nothing about its subject ("hvem skal jeg ringe til"), and the
# verbs of getting in touch ("ringe", "skrive", "spørge", "få fat i"). The Danish stop list
# drops many more at analysis; these are the rest. "borger" is in almost every page, so it
# cannot tell pages apart either.
QUESTION_WORDS = frozenset(
    """hvordan hvem hvad hvor hvornår hvorfor hvilken hvilket hvilke hvorhenne hvis jeg du vi
    man mig min mit mine skal skulle kan kunne må måtte bør gør gøre gør gjorde får få fik
    vil ville er være har have hos til i på om af med for en et den det der nogen noget nogle
    finde finder find søge søger søg vide ved gerne hjælp hjælpe hjælper borger borgeren
    borgere borgerne borgers borgerens ringe ringer ring skrive skriver maile spørge spørger
    kontakte fat står stå betyder betyde menes mener forstås lave laver laves foregår
    fungerer sker""".split()  # noqa: SIM905
)
# A query of these words only is searched as it is (``plan``).

FOLDS = (("aa", "å"), ("oe", "ø"), ("ae", "æ"))
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
NOISE = re.compile(r"[\"():^~*?\[\]{}<>\\/+!]")


class Vocabulary(Protocol):
    def knows(self, word: str) -> bool:
        """The unstemmed word occurs in the index."""
        ...

    def completions(self, prefix: str, limit: int) -> list[str]:
        """Words of the index that begin with ``prefix``, most frequent first."""
        ...


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # surface words; all must match
    weight: float = LITERAL
    # For each word, other single words that may stand in its place (a compound part's
    # synonyms: "rusmiddel" in "rusmiddelbehandling" may be "misbrug")
    also: tuple[tuple[str, ...], ...] = ()
    prefix: bool = False  # words[-1] is a word start, for engines that match prefixes


@dataclass(frozen=True)
class Slot:
    text: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Plan:
    slots: tuple[Slot, ...]
    dropped: tuple[str, ...] = ()

    @property
    def words(self) -> list[str]:
        return [slot.text for slot in self.slots]


def words_of(text: str) -> list[str]:
    """The query's words, lowercased; hyphenated words ("gå-hjem-møde") stay one word."""
    return WORD.findall(NOISE.sub(" ", text.lower()))


def folded(word: str, vocabulary: Vocabulary | None) -> list[str]:
    """ "groen" -> ["grøn"]: ASCII spellings of æ, ø and å, where the typed word is not itself a
    word of the index and the folded one is a word (of the index or the dictionary)."""
    if not any(a in word for a, _ in FOLDS):
        return []
    if vocabulary is not None and vocabulary.knows(word):
        return []
    spots = [(m.start(), a, b) for a, b in FOLDS for m in re.finditer(a, word)][:3]
    found = []
    for choice in itertools.product((False, True), repeat=len(spots)):
        if not any(choice):
            continue
        chars = list(word)
        for (start, ascii_, letter), use in sorted(zip(spots, choice, strict=True), reverse=True):
            if use and chars[start : start + 2] == list(ascii_):
                chars[start : start + 2] = [letter]
        candidate = "".join(chars)
        if candidate != word and _is_word(candidate, vocabulary):
            found.append(candidate)
    return list(dict.fromkeys(found))[:MAX_FOLDS]


def _is_word(word: str, vocabulary: Vocabulary | None) -> bool:
    return (
        lexicon.is_word(word)
        or (vocabulary is not None and vocabulary.knows(word))
        or bool(lexicon.split(word))
    )


def compound_parts(word: str, vocabulary: Vocabulary | None) -> tuple[str, ...]:
    """The parts of a typed compound, the index's words counting as dictionary words."""
    known = vocabulary.knows if vocabulary is not None else None
    return lexicon.split(word, known)


def _word_slot(
    word: str, vocabulary: Vocabulary | None, single: dict[str, tuple[str, ...]] | None = None
) -> Slot:
    alternatives = [Alternative((word,), LITERAL)]
    for form in [word, *folded(word, vocabulary)]:
        if form != word:
            alternatives.append(Alternative((form,), FOLDED))
        parts = compound_parts(form, vocabulary) if "-" not in form else ()
        if parts:
            also = tuple((single or {}).get(part, ()) for part in parts)
            alternatives.append(Alternative(parts, PARTS, also if any(also) else ()))
    return Slot(word, tuple(dict.fromkeys(alternatives)))


def _single_word_synonyms(groups: Iterable[list[str]]) -> dict[str, tuple[str, ...]]:
    """Each one-word synonym with the group's other one-word forms."""
    return _single_of(tuple(tuple(g) for g in groups))


@lru_cache(maxsize=8)
def _single_of(groups: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for group in groups:
        singles = [w[0] for w in (words_of(p) for p in group) if len(w) == 1]
        for word in singles:
            found.setdefault(word, []).extend(o for o in singles if o != word)
    return {w: tuple(dict.fromkeys(others)) for w, others in found.items()}


Phrase = tuple[str, ...]


def _phrases(groups: Iterable[list[str]]) -> list[tuple[Phrase, Phrase, list[Phrase]]]:
    """Each synonym phrase as words and as their stems, with its group, longest first."""
    return _phrases_of(tuple(tuple(g) for g in groups))


@lru_cache(maxsize=8)
def _phrases_of(groups: tuple[tuple[str, ...], ...]) -> list[tuple[Phrase, Phrase, list[Phrase]]]:
    found = []
    for group in groups:
        forms = [tuple(words_of(p)) for p in group]
        forms = [f for f in dict.fromkeys(forms) if f]
        for form in forms:
            found.append((form, tuple(lexicon.stem(w) for w in form), forms))
    return sorted(found, key=lambda fg: -len(" ".join(fg[0])))


def plan(
    text: str, synonyms: Iterable[list[str]] = (), vocabulary: Vocabulary | None = None
) -> Plan:
    """What to search for ``text``: synonym phrases first (longest first, also in their æ/ø/å
    spelling), then each other word; question words are dropped unless nothing is left."""
    synonyms = list(synonyms)
    single = _single_word_synonyms(synonyms)
    words = words_of(text)
    # Phrases are matched on the stems of the words as meant: "groen linie" is "grøn linie",
    # "psykisk syge" is "psykisk syg"
    stems = [lexicon.stem(w) for w in words]
    meant = [lexicon.stem((folded(w, vocabulary) or [w])[0]) for w in words]
    taken: list[Slot | None] = [None] * len(words)
    present = {*stems, *meant}
    for phrase, stemmed, group in _phrases(synonyms):
        if stemmed[0] not in present:
            continue
        n = len(phrase)
        for i in range(len(words) - n + 1):
            typed = tuple(words[i : i + n])
            if stemmed in (tuple(stems[i : i + n]), tuple(meant[i : i + n])) and all(
                t is None for t in taken[i : i + n]
            ):
                others = [Alternative(f, SYNONYM) for f in group if f != phrase]
                literal = _word_slot(typed[0], vocabulary).alternatives if n == 1 else ()
                if n > 1 and typed != phrase:
                    literal = (Alternative(typed, LITERAL), Alternative(phrase, FOLDED))
                alternatives = literal or (Alternative(phrase, LITERAL),)
                slot = Slot(" ".join(typed), tuple(dict.fromkeys([*alternatives, *others])))
                taken[i : i + n] = [slot] + [Slot("", ())] * (n - 1)
                break
    slots: list[Slot] = []
    dropped: list[str] = []
    for word, taken_slot in zip(words, taken, strict=True):
        if taken_slot is not None:
            if taken_slot.text:
                slots.append(taken_slot)
        elif word in QUESTION_WORDS or word in lexicon.DANISH_STOPWORDS:
            dropped.append(word)
        else:
            slots.append(_word_slot(word, vocabulary, single))
    if not slots and dropped:  # only question words: search for them after all
        slots = [
            _word_slot(w, vocabulary, single) for w in dropped if w not in lexicon.DANISH_STOPWORDS
        ]
        dropped = []
    return Plan(tuple(slots), tuple(dropped))


def with_prefix(found: Plan, vocabulary: Vocabulary) -> Plan | None:
    """The plan with its last word also read as the start of a word ("misb" -> "misbrug"),
    for a last word of at least ``MIN_PREFIX`` letters; None when no word of the index begins
    so."""
    if not found.slots:
        return None
    last = found.slots[-1]
    if " " in last.text or len(last.text) < MIN_PREFIX or not last.text.isalpha():
        return None
    completions = [w for w in vocabulary.completions(last.text, PREFIX_TERMS) if w != last.text]
    if not completions:
        return None  # a misspelling, not a word start ("samtyke")
    alternatives = [Alternative((w,), PREFIX) for w in completions]
    alternatives.append(Alternative((last.text,), PREFIX, prefix=True))
    slot = Slot(last.text, (*last.alternatives, *alternatives))
    return Plan((*found.slots[:-1], slot), found.dropped)
