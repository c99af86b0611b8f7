from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from flask import Flask

from portal import search
from portal.cli import setup_steps, unit_of_work
from portal.extensions import db
from portal.kb.sync import sync_content
from tests.conftest import POSTGRES_URL, make_test_app, scratch_database


@pytest.fixture
def app_config():
    return {"SEARCH_WRITER_TIMEOUT": 1.0, "SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def indexed(app):
    """The real content, loaded and indexed."""
    with app.app_context():
        sync_content()
        db.session.commit()
        search.rebuild()
    return app


@pytest.fixture
def api(client):
    def get(q, **params):
        response = client.get("/api/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return get


ENGINES = ["whoosh"] + (["postgresql"] if POSTGRES_URL else [])


@contextmanager
def engine_app(engine: str, tmp: Path, demo: bool = True) -> Iterator[Flask]:
    """An app on a database of its own with the demo data (``portal setup --demo``), or just
    the content, indexed by ``engine``: Whoosh on SQLite, PostgreSQL's own engine on a new
    PostgreSQL database (dropped afterwards)."""
    with ExitStack() as stack:
        if engine == "whoosh":
            url = f"sqlite:///{tmp / 'db.sqlite3'}"
        else:
            url = stack.enter_context(scratch_database(POSTGRES_URL or "", "portal_search"))
        yield stack.enter_context(_filled(url, tmp, engine, demo))


@contextmanager
def _filled(url: str, tmp: Path, engine: str, demo: bool) -> Iterator[Flask]:
    app = make_test_app(url, tmp, SEARCH_ENGINE=engine)
    try:
        with app.app_context():
            db.create_all()
            if demo:
                for step in setup_steps(app, demo=True):
                    with unit_of_work():
                        step.run()
            else:
                sync_content()
                db.session.commit()
                search.rebuild()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
