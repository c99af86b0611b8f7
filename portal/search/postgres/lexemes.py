"""A document as the PostgreSQL engine stores it: the lexemes of the same Danish analysis as
the Whoosh index (``analysis.danish_analyzer``: Snowball stems, the Danish stop list, compound
parts and their pairs at the word's position), weighted by field, as ``tsvector`` text; and
its words.

The lexemes are made here rather than by ``to_tsvector('danish', …)`` so that both engines
index exactly the same terms (PostgreSQL's ``danish`` configuration has the same stemmer and
stop list, but no compound splitting), and the query's terms (``whoosh_query.stems``) meet them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from portal.search.analysis import danish_analyzer, spelling_analyzer
from portal.search.registry import SearchDocument

# Field weights as ts_rank_cd reads them, {D, C, B, A}: body, summary, tags, title and name.
# Steeper than the Whoosh boosts (1, 2, 3, 6): ts_rank_cd has no BM25 length normalisation
# per field, so a long body's many matches would outweigh a title (measured on the
# relevance queries: 44 of 45 and the 30 questions, against 43 with the Whoosh ratios)
WEIGHTS = "{0.1,0.2,0.4,1.0}"
FIELDS = (("title", "A"), ("name", "A"), ("tags", "B"), ("summary", "C"), ("body", "D"))
MAX_POSITION = 16383  # PostgreSQL's largest position
MAX_POSITIONS = 256  # positions kept per lexeme (PostgreSQL keeps no more)
MAX_LEXEME = 200  # characters; longer tokens are no words
MAX_WORD = 60  # the vocabulary's column
# Marks of a highlight (``ts_headline``): characters no text holds, removed from what is stored
START, STOP = "\ue000", "\ue001"

_danish = danish_analyzer()
_TOKENS = _danish.items[0].expression  # the analyzer's tokenizer
_spelling = spelling_analyzer()


def quoted(lexeme: str) -> str:
    """A lexeme as ``tsvector`` or ``tsquery`` text."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def clean(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def field_texts(doc: SearchDocument) -> dict[str, str]:
    return {
        "title": clean(doc.title),
        "name": clean(doc.name),
        "tags": clean(" ".join(doc.tags)),
        "summary": clean(doc.summary),
        "body": clean(doc.body),
    }


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    """The analysis of one lowercased word: its stem and its compound parts' stems (none for
    a stop word). It does not depend on the word's neighbours, and texts repeat their words:
    each analysed once (the analyzer's filters cost ~0.1 ms a new word, ~10 µs a token)."""
    return tuple(t.text for t in _danish(word, mode="index"))


def analysed(text: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(position, lexemes) of each word of ``text`` that is not a stop word: what
    ``danish_analyzer`` yields, with its stop filter's positions (the first word kept keeps
    its place, each next one follows it)."""
    first = None
    for i, match in enumerate(_TOKENS.finditer(text)):
        found = _word(match.group().lower())
        if found:
            first = i if first is None else first + 1
            yield first, found


def terms(texts: dict[str, str]) -> str:
    """The weighted lexemes as ``tsvector`` text; fields apart, so that no phrase spans two."""
    positions: dict[str, list[str]] = defaultdict(list)
    offset = 0
    for name, weight in FIELDS:
        last = 0
        for word_pos, word in analysed(texts[name]):  # a word and its compound parts
            stems = [lexeme for lexeme in word if len(lexeme) <= MAX_LEXEME]
            if not stems:
                continue
            pos = min(offset + word_pos + 1, MAX_POSITION)
            last = max(last, word_pos + 1)
            for lexeme in dict.fromkeys(stems):  # with the pairs of its parts
                found = positions[lexeme]
                if len(found) < MAX_POSITIONS:
                    found.append(f"{pos}{weight}")
        offset += last + 2
    return " ".join(f"{quoted(lex)}:{','.join(pos)}" for lex, pos in positions.items())


def suggest(doc: SearchDocument) -> str:
    """The words of the name or title, for suggestions as you type (prefix matches)."""
    words = {t.text for t in _spelling(clean(doc.name or doc.title)) if len(t.text) <= MAX_LEXEME}
    return " ".join(quoted(w) for w in sorted(words))


@dataclass(frozen=True)
class Words:
    """A document's distinct words: anywhere, and in a title, name, summary or tag."""

    anywhere: frozenset[str]
    titles: frozenset[str]


def words(texts: dict[str, str]) -> Words:
    def of(names: tuple[str, ...]) -> frozenset[str]:
        return frozenset(
            t.text for name in names for t in _spelling(texts[name]) if len(t.text) <= MAX_WORD
        )

    titles = of(("title", "name", "tags", "summary"))
    return Words(titles | of(("body",)), titles)


NO_WORDS = Words(frozenset(), frozenset())
