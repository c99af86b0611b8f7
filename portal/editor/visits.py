"""Daily visit counts for guides and procedures, counted in memory and written in batches
(``portal/batches.py``): one upsert per page and day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import Flask
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal import batches
from portal.editor.models import PageVisit
from portal.extensions import db
from portal.timeutil import local_today

EXTENSION = "portal_visits"
Key = tuple[date, str, str]  # day, kind, slug


def counter(app: Flask) -> batches.Batch:
    return app.extensions[EXTENSION]


def count_visit(sender: Flask, kind: str, slug: str) -> None:
    """``signals.page_viewed``: one more view today, in memory (written when due)."""
    counter(sender).add((local_today(), kind, slug))


def write(counts: Counter[Key]) -> None:
    """Add ``counts`` to the database (an upsert: other processes' counts for the same page
    and day add up). Flushes; the caller's transaction commits."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for (day, kind, slug), n in sorted(counts.items()):
        statement = insert(PageVisit).values(day=day, kind=kind, slug=slug, count=n)
        statement = statement.on_conflict_do_update(
            index_elements=["day", "kind", "slug"], set_={"count": PageVisit.count + n}
        )
        db.session.execute(statement)
    db.session.flush()


def init_app(app: Flask) -> None:
    batches.register(app, EXTENSION, write)
