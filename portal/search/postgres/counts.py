"""What the GIN index counts for a query: facets, and which words are common."""

from __future__ import annotations

import sqlalchemy as sa

from portal.extensions import db
from portal.search import engine
from portal.search.engine import RESULT_CAP
from portal.search.postgres import tsquery


def selective(built: tsquery.Built) -> str:
    """The broader search's pages: those with one of the query's rare words
    (``engine.rare``); ranking the half of the index that has "måske" would read every one of
    those pages' lexemes (~15 µs a page). The GIN index counts a word's pages without reading
    them (``tsquery.loose``)."""
    counts = ", ".join(
        "(SELECT count(*) FROM search_document"  # noqa: S608 - generated names only
        f" WHERE terms @@ CAST(:c{i} AS tsquery))"
        for i in range(len(built.slots))
    )
    sql = sa.text(
        f"SELECT reltuples, {counts} FROM pg_class"  # noqa: S608 - generated names only
        " WHERE oid = 'search_document'::regclass"
    )
    params = {f"c{i}": tsquery.loose(s.query) for i, s in enumerate(built.slots)}
    total, *pages = db.session.execute(sql, params).one()
    chosen = engine.rare(pages, total)
    kept = [(s, n) for s, n, keep in zip(built.slots, pages, chosen, strict=True) if keep]
    # A common slot (the rarest when all are) without its near words: checking their positions
    # reads the lexemes of every page with both parts (549 of 2,000 for "borg" and "drøft")
    common = frozenset(i for i, (_, n) in enumerate(kept) if n > engine.COMMON_PAGES)
    return built.broad([s for s, _ in kept], plain=common)


def at_most(query: str, pages: int) -> bool:
    """Whether at most ``pages`` pages may match ``query`` (``tsquery.loose``): counted by the
    GIN index, and no further than one more."""
    sql = sa.text(
        "SELECT count(*) FROM (SELECT 1 FROM search_document"
        " WHERE terms @@ CAST(:query AS tsquery) LIMIT :over) AS m"
    )
    params = {"query": tsquery.loose(query), "over": pages + 1}
    return db.session.execute(sql, params).scalar_one() <= pages


def facets(where: str) -> list[tuple[str, str, int]]:
    """(kind, administration, count) of the first ``RESULT_CAP`` documents matching ``where``,
    for a search whose ranked hits are fewer than its matches."""
    sql = sa.text(
        "SELECT kind, administration, count(*) FROM (SELECT kind, administration"
        " FROM search_document WHERE terms @@ CAST(:where AS tsquery) LIMIT :cap) AS m"
        " GROUP BY kind, administration"
    )
    return [tuple(row) for row in db.session.execute(sql, {"where": where, "cap": RESULT_CAP})]
