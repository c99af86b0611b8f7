"""Reader feedback is rate-limited per person, not per address (an office shares one)."""

import pytest

from portal.extensions import limiter
from portal.kb.feedback_views import FEEDBACK_RATE
from tests.kb.feedback_helpers import GUIDE, leave, rows


@pytest.fixture(autouse=True)
def _own_default_limits():
    """Flask-Limiter keeps the default limits of the first app that enabled it (one limiter
    object for every app in the process): forget them before and after, so that this app and
    the next test's read their own configuration."""
    limiter.limit_manager.set_default_limits([])
    yield
    limiter.limit_manager.set_default_limits([])


@pytest.fixture
def app_config(content_dir):
    return {"CONTENT_DIR": str(content_dir), "RATELIMIT_ENABLED": True}


def test_feedback_is_rate_limited_per_person(app, client, auth, make_user, synced):
    limit = int(FEEDBACK_RATE.split()[0])
    make_user("staff", email="a@example.com")
    make_user("staff", email="b@example.com")
    auth.login("a@example.com")
    for n in range(limit):
        assert leave(client, GUIDE, "ja", f"svar {n}").status_code == 302
    response = leave(client, GUIDE, "nej", "et svar for meget")
    assert response.status_code == 429
    assert "For mange forsøg" in response.get_data(as_text=True)
    assert rows(app)[0]["comment"] == f"svar {limit - 1}"
    # Another person at the same address is not held back.
    auth.logout()
    auth.login("b@example.com")
    assert leave(client, GUIDE, "nej", "mit eget svar").status_code == 302
