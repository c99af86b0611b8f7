"""The migrations build the schema on an empty database, and agree with the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.db import for_this_database
from portal.extensions import db
from tests.conftest import drop_schema, make_test_app


@pytest.fixture
def migrated_app(database_url, tmp_path):
    """An app whose schema was built by the migrations alone, from an empty database."""
    app = make_test_app(database_url, tmp_path)
    drop_schema(app)  # the PostgreSQL database is shared by the run: start empty
    with app.app_context():
        upgrade()
    yield app
    drop_schema(app)
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_matches_models(migrated_app):
    with migrated_app.app_context(), db.engine.connect() as conn:
        include = for_this_database(conn.dialect.name)
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include}
        )
        diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        tables = set(sa.inspect(conn).get_table_names())
        assert {"user", "audit_entry", "login_throttle", "alembic_version"} <= tables


def test_downgrade_to_base_and_up_again(migrated_app):
    with migrated_app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert "user" not in sa.inspect(conn).get_table_names()
        upgrade()
        with db.engine.connect() as conn:
            assert "user" in sa.inspect(conn).get_table_names()
