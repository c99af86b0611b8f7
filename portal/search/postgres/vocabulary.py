"""The PostgreSQL engine's words (``search_word``): what the planner asks of an index
(``understanding.Vocabulary``), words like a misspelt one (pg_trgm), and completions."""

from __future__ import annotations

import sqlalchemy as sa
from rapidfuzz import process
from rapidfuzz.distance import OSA

from portal.extensions import db
from portal.search.models import SearchWord
from portal.search.whoosh_query import MAX_LOOKUPS

MIN_LOOKUP = 4  # the planner asks only about parts longer than three letters
NEAR_CANDIDATES = 2000


def candidates(word: str) -> set[str]:
    """What the planner may ask about ``word``: the word, and every piece of it (compound
    parts), also with æ, ø and å for their ASCII spellings."""
    forms = {word}
    for ascii_, letter in (("aa", "å"), ("oe", "ø"), ("ae", "æ")):
        forms |= {f.replace(ascii_, letter) for f in forms}
    return {
        form[start:end]
        for form in forms
        for start in range(len(form))
        for end in range(start + MIN_LOOKUP, len(form) + 1)
    } | forms


class PostgresVocabulary:
    """Look-ups for one query: the likely ones fetched at once (``prefetch``), the rest one by
    one up to ``MAX_LOOKUPS``."""

    def __init__(self) -> None:
        self.lookups = 0
        self._known: dict[str, bool] = {}

    def prefetch(self, words: list[str]) -> None:
        wanted = sorted({c for w in words for c in candidates(w)} - self._known.keys())
        if not wanted:
            return
        # One array, not a bound value for each of a few hundred candidates
        query = sa.text("SELECT word FROM search_word WHERE word = ANY(:wanted)")
        found = set(db.session.scalars(query, {"wanted": wanted}))
        self._known.update((w, w in found) for w in wanted)

    def knows(self, word: str) -> bool:
        if word not in self._known:
            if self.lookups >= MAX_LOOKUPS:
                return False
            self.lookups += 1
            query = sa.select(sa.exists().where(SearchWord.word == word))
            self._known[word] = bool(db.session.scalar(query))
        return self._known[word]

    def completions(self, prefix: str, limit: int) -> list[str]:
        return list(
            db.session.scalars(
                sa.select(SearchWord.word)
                .where(SearchWord.titles > 0, SearchWord.word.startswith(prefix, autoescape=True))
                .order_by(SearchWord.titles.desc(), SearchWord.word)
                .limit(limit)
            )
        )


def near_words(word: str, maxdist: int, prefix: int, limit: int) -> list[str]:
    """Words of the index at most ``maxdist`` edits from ``word`` (two swapped letters count as
    one) that begin with its first ``prefix`` letters: closest first, then the most common."""
    rows = db.session.execute(
        sa.select(SearchWord.word, SearchWord.docs)
        .where(
            SearchWord.word.startswith(word[:prefix], autoescape=True),
            sa.func.length(SearchWord.word).between(len(word) - maxdist, len(word) + maxdist),
        )
        .limit(NEAR_CANDIDATES)
    ).all()
    return _closest(word, dict(rows), maxdist, limit)


def spelling(word: str) -> str | None:
    """The likeliest word of a title, name, summary or tag for a misspelt ``word`` (pg_trgm's
    similarity finds the candidates, edit distance decides), or None."""
    rows = db.session.execute(
        sa.select(SearchWord.word, SearchWord.titles)
        .where(
            SearchWord.titles > 0,
            SearchWord.word.op("%")(word),
            sa.func.left(SearchWord.word, 1) == word[:1],
        )
        .order_by(sa.func.similarity(SearchWord.word, word).desc())
        .limit(50)
    ).all()
    found = _closest(word, dict(rows), 2, 1)
    return found[0] if found else None


def in_titles(word: str) -> bool:
    query = sa.select(sa.exists().where(SearchWord.word == word, SearchWord.titles > 0))
    return bool(db.session.scalar(query))


def _closest(word: str, counts: dict[str, int], maxdist: int, limit: int) -> list[str]:
    found = process.extract(
        word, list(counts), scorer=OSA.distance, score_cutoff=maxdist, limit=None
    )
    found = [m for m in found if m[0] != word]
    found.sort(key=lambda m: (m[1], -counts[m[0]], m[0]))
    return [w for w, _, _ in found[:limit]]
