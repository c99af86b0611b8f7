"""Fixtures for the performance guards: the feature factories, and a query counter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from portal.extensions import db
from tests.calendar.conftest import make_event  # noqa: F401  (fixtures)
from tests.contacts.conftest import make_contact  # noqa: F401
from tests.news.conftest import make_news  # noqa: F401


class Statements(list[str]):
    """The SQL statements sent while the block ran."""

    @property
    def writes(self) -> list[str]:
        verbs = ("INSERT", "UPDATE", "DELETE")
        return [s for s in self if s.lstrip().upper().startswith(verbs)]


@pytest.fixture
def statements(app):
    """``with statements() as sent: client.get(...)``: every statement the app's engine sent."""

    @contextmanager
    def record() -> Iterator[Statements]:
        with app.app_context():
            engine = db.engine
        sent = Statements()

        def before(conn, cursor, statement, parameters, context, executemany):
            sent.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield sent
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return record
