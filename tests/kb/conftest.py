import shutil
from pathlib import Path

import pytest

from portal.extensions import db
from portal.kb import sync as content_sync

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A copy of the real content, for tests that change files."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def app_config(content_dir):
    return {"CONTENT_DIR": str(content_dir)}


@pytest.fixture
def sync(app):
    """Run the content sync in its own app context and commit, as the CLI does."""

    def run():
        with app.app_context():
            report = content_sync.sync_content()
            db.session.commit()
            return report

    return run


@pytest.fixture
def synced(sync):
    return sync()
