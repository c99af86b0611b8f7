"""``Engine`` on PostgreSQL full-text search (see the package's note)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

import sqlalchemy as sa

from portal.extensions import db
from portal.search.engine import QueryFailed, RawResults, Unavailable
from portal.search.postgres import query, store
from portal.search.registry import SearchDocument
from portal.transaction import transaction

STATEMENT_TIMEOUT = "2s"  # a search statement that runs longer is cancelled (a failed query)


@contextmanager
def _index_scans() -> Iterator[None]:
    """The GIN index for every search. PostgreSQL estimates a tsquery with alternatives and
    phrases poorly (794 of 1,000 rows for one that matches 7) and would read every row's
    lexemes instead (14 ms against 1 ms at 1,000 documents); only for these statements, which
    may each run for ``STATEMENT_TIMEOUT`` (as Whoosh's time budget, but then the page answers
    from the database). A statement the database refuses, or an error in this code, is a
    failed query: the index is in the database, where no search can damage it, so a rebuild
    (what a damaged Whoosh index gets) would not help and would be anyone's to trigger."""
    settings = ("enable_seqscan", "off"), ("statement_timeout", STATEMENT_TIMEOUT)
    try:
        db.session.execute(sa.text(";".join(f"SET LOCAL {n} = '{v}'" for n, v in settings)))
        yield
        db.session.execute(sa.text(";".join(f"SET LOCAL {n} TO DEFAULT" for n, _ in settings)))
    except sa.exc.DBAPIError as exc:
        raise QueryFailed(repr(exc.orig)) from exc
    except Exception as exc:
        raise QueryFailed(repr(exc)) from exc


class PostgresEngine:
    name = "postgresql"
    writes_database = True

    def consumer(self) -> str:
        return "postgresql"  # one index, in the database, whichever server writes it

    def apply(self, doc_ids: Sequence[str], load: Callable[[str], SearchDocument | None]) -> int:
        return store.apply(doc_ids, load)

    def applying(self, wait: bool = True) -> AbstractContextManager[None]:
        return nullcontext()  # ``store.apply`` locks each document in the database

    def replace_all(self, docs: Iterable[SearchDocument], count: int = 0) -> int:
        everything = list(docs)  # read in short transactions of their own, before this one
        with transaction():
            return store.replace_all(everything)

    def reset(self) -> None:
        """Nothing is cached outside the database."""

    def ensure(self) -> None:
        try:
            db.session.execute(sa.text("SELECT 1 FROM search_document LIMIT 1"))
        except sa.exc.DBAPIError as exc:
            db.session.rollback()
            raise Unavailable(f"the search tables cannot be read: {exc.orig!r}") from exc

    def stamps(self) -> dict[str, str]:
        return store.stamps()

    def query(self, text, synonyms, kind, administration, page, per_page) -> RawResults:
        with _index_scans():
            return query.run(text, synonyms, kind, administration, page, per_page)

    def matching_ids(self, text, synonyms, source) -> tuple[list[str], list[str]]:
        with _index_scans():
            return query.matching_ids(text, synonyms, source)

    def suggest(self, text: str, limit: int) -> list[dict]:
        with _index_scans():
            return query.suggest(text, limit)

    def maintain(self) -> str | None:
        return None  # PostgreSQL's autovacuum keeps the GIN indexes
