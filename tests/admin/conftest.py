import re

import pytest
import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import PASSWORD, Auth, csrf_token
from tests.test_html_valid import vnu  # noqa: F401 (a fixture for test_html.py)

__all__ = ["PASSWORD", "Auth"]


@pytest.fixture
def admin(make_user, auth):
    """A logged-in administrator (admin@example.com)."""
    user = make_user("admin", email="admin@example.com", name="Anna Admin")
    auth.login("admin@example.com")
    return user


@pytest.fixture
def post(client):
    """POST with a valid CSRF token (from the front page)."""

    def send(url: str, **data):
        token = csrf_token(client, "/")
        return client.post(url, data={"csrf_token": token, **data})

    return send


@pytest.fixture
def get_user(app):
    def get(user_id: int) -> User:
        with app.app_context():
            user = db.session.get(User, user_id)
            assert user is not None
            db.session.expunge(user)
            return user

    return get


@pytest.fixture
def audit_actions(app):
    def actions(object_type: str = "user") -> list[tuple[str, str | None, str | None, str]]:
        with app.app_context():
            rows = db.session.execute(
                sa.select(
                    AuditEntry.action, AuditEntry.old_value, AuditEntry.new_value, AuditEntry.actor
                )
                .where(AuditEntry.object_type == object_type)
                .order_by(AuditEntry.id)
            ).all()
            return [tuple(r) for r in rows]

    return actions


LINK_RE = re.compile(r'id="handover-link" value="([^"]+)"')


def shown_link(html: str) -> str:
    """The one-time link on an admin's user page (as a path)."""
    match = LINK_RE.search(html)
    assert match, "no link on the page"
    return "/" + match.group(1).split("/", 3)[3]
