import pytest

from portal import search
from portal.extensions import db
from portal.kb.sync import sync_content


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
