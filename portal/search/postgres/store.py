"""Writing the PostgreSQL engine's index, in the caller's transaction.

A change locks its documents (transaction-level advisory locks, in one order), then reads their
state: under READ COMMITTED each statement sees what was committed before it, so the last
indexer of a document always reads its latest state (the Whoosh index gets the same from its
writer lock). A rebuild takes the same key exclusively, so it never interleaves with a change.
The words' counts are kept by the same transactions, in word order (no deadlock).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from portal.extensions import db
from portal.search.models import SearchEntry, SearchWord
from portal.search.postgres import lexemes
from portal.search.registry import SearchDocument

REBUILD_LOCK = 0x5EA2C4  # an advisory key: shared by changes, exclusive for a rebuild
BATCH = 500
TEXT_COLUMNS = ("title", "name", "tags", "summary", "body")
HEAD_WEIGHTS = "'{a,b,c}'::\"char\"[]"  # ``head``: the lexemes of every field but the body


def _key(doc_id: str) -> int:
    return zlib.crc32(doc_id.encode())  # stable across processes (hash() is not)


def _lock(doc_ids: Sequence[str]) -> None:
    db.session.execute(sa.text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": REBUILD_LOCK})
    for key in sorted({_key(doc_id) for doc_id in doc_ids}):
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(1, :k)"), {"k": key - 2**31})


def _row(doc: SearchDocument) -> dict:
    texts = lexemes.field_texts(doc)
    return {
        "id": doc.doc_id,
        "source": doc.source,
        "kind": doc.kind,
        "administration": doc.administration,
        "cancelled": doc.cancelled,
        "past_after": doc.past_after,
        "url": doc.url,
        "stamp": doc.stamp,
        **texts,
        "terms": lexemes.terms(texts),
        "suggest": lexemes.suggest(doc),
    }


COLUMNS = (
    "id", "source", "kind", "administration", "cancelled", "past_after", "url", "stamp",
    *TEXT_COLUMNS, "terms", "suggest",
)  # fmt: skip


def _values() -> dict:
    """Bound values for a row of ``_row``, its lexemes read as ``tsvector``, and ``head``."""
    found: dict[str, sa.ColumnElement] = {name: sa.bindparam(name) for name in COLUMNS}
    for name in ("terms", "suggest"):
        found[name] = sa.cast(found[name], getattr(SearchEntry, name).type)
    found["head"] = sa.func.ts_filter(found["terms"], sa.literal_column(HEAD_WEIGHTS))
    return found


def apply(doc_ids: Sequence[str], load: Callable[[str], SearchDocument | None]) -> int:
    """Make each document current (see the module's note) and keep the words' counts."""
    _lock(doc_ids)
    old = {
        row.id: lexemes.words({name: getattr(row, name) for name in TEXT_COLUMNS})
        for row in db.session.execute(
            sa.select(SearchEntry.id, *(getattr(SearchEntry, n) for n in TEXT_COLUMNS)).where(
                SearchEntry.id.in_(doc_ids)
            )
        )
    }
    docs, delta, titles = [], Counter[str](), Counter[str]()
    for doc_id in doc_ids:
        doc = load(doc_id)
        before = old.get(doc_id, lexemes.NO_WORDS)
        after = lexemes.words(lexemes.field_texts(doc)) if doc else lexemes.NO_WORDS
        delta.update(dict.fromkeys(after.anywhere - before.anywhere, 1))
        delta.update(dict.fromkeys(before.anywhere - after.anywhere, -1))
        titles.update(dict.fromkeys(after.titles - before.titles, 1))
        titles.update(dict.fromkeys(before.titles - after.titles, -1))
        if doc is None:
            db.session.execute(sa.delete(SearchEntry).where(SearchEntry.id == doc_id))
        else:
            docs.append(_row(doc))
    if docs:
        statement = insert(SearchEntry).values(_values())
        changed = {k: statement.excluded[k] for k in (*COLUMNS, "head") if k != "id"}
        upsert = statement.on_conflict_do_update(index_elements=["id"], set_=changed)
        db.session.connection().execute(upsert, docs)
    _count_words(delta, titles)
    return len(doc_ids)


def _count_words(delta: Counter[str], titles: Counter[str]) -> None:
    changed = sorted(w for w in delta.keys() | titles.keys() if delta[w] or titles[w])
    if not changed:
        return
    rows = [{"word": w, "docs": delta[w], "titles": titles[w]} for w in changed]
    statement = insert(SearchWord).values(rows)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["word"],
            set_={
                "docs": SearchWord.docs + statement.excluded.docs,
                "titles": SearchWord.titles + statement.excluded.titles,
            },
        )
    )
    gone = [w for w in changed if delta[w] < 0]
    if gone:
        db.session.execute(
            sa.delete(SearchWord).where(SearchWord.word.in_(gone), SearchWord.docs <= 0)
        )


def replace_all(docs: Iterable[SearchDocument]) -> int:
    """Every document and word anew, in the caller's transaction: readers see the old index
    until it commits (DELETE, not TRUNCATE, which would lock them out meanwhile)."""
    db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": REBUILD_LOCK})
    db.session.execute(sa.delete(SearchEntry))
    db.session.execute(sa.delete(SearchWord))
    anywhere, titles = Counter[str](), Counter[str]()
    count = 0
    batch: list[dict] = []
    # The analysis (Python) and the inserts (the database's own process) overlap: one thread
    # sends a batch while this one analyses the next, and only that thread uses the
    # connection meanwhile (psycopg lets go of the interpreter lock while it waits)
    connection = db.session.connection()
    with ThreadPoolExecutor(max_workers=1) as sender:
        sent: Future | None = None
        for doc in docs:
            found = lexemes.words(lexemes.field_texts(doc))
            anywhere.update(found.anywhere)
            titles.update(found.titles)
            batch.append(_row(doc))
            count += 1
            if len(batch) >= BATCH:
                sent = _send(sender, sent, connection, batch)
                batch = []
        _send(sender, sent, connection, batch).result()
    words = sorted(anywhere)
    for start in range(0, len(words), 5000):
        chunk = words[start : start + 5000]
        rows = [{"word": w, "docs": anywhere[w], "titles": titles[w]} for w in chunk]
        db.session.execute(sa.insert(SearchWord), rows)
    # Fresh statistics, or the planner scans every row instead of using the GIN index
    db.session.execute(sa.text("ANALYZE search_document, search_word"))
    return count


def _send(
    sender: ThreadPoolExecutor, sent: Future | None, connection: sa.Connection, rows: list[dict]
) -> Future:
    """``rows`` inserted by ``sender`` once the batch ``sent`` before them is in."""
    if sent is not None:
        sent.result()  # one batch at a time on the connection; its error raised here
    return sender.submit(_insert, connection, rows)


def _insert(connection: sa.Connection, rows: list[dict]) -> None:
    if rows:
        connection.execute(sa.insert(SearchEntry).values(_values()), rows)


def stamps() -> dict[str, str]:
    rows = db.session.execute(sa.select(SearchEntry.id, SearchEntry.stamp))
    return dict(rows.all())
