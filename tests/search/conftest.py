import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from portal import search
from portal.cli import setup_steps, unit_of_work
from portal.extensions import db
from portal.kb.sync import sync_content
from tests.conftest import POSTGRES_URL, make_test_app


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
    if engine == "whoosh":
        url, drop = f"sqlite:///{tmp / 'db.sqlite3'}", None
    else:
        base = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
        name = f"portal_search_{uuid.uuid4().hex[:12]}"
        admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = base.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

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
        if drop:
            drop()
