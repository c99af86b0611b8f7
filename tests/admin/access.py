"""Access matrix rows for user administration (see tests/test_access_matrix.py)."""

from portal.auth import services as auth
from portal.extensions import db
from tests.conftest import PASSWORD

ROLES = ["anon", "staff", "contact", "editor", "admin"]


def _admin(status: int) -> dict[str, int]:
    return {"anon": 302, "staff": 403, "contact": 403, "editor": 403, "admin": status}


EXPECTED = {
    ("admin.user_list", "GET"): ("/admin/brugere", _admin(200)),
    ("admin.create_user", "GET"): ("/admin/brugere/ny", _admin(200)),
    ("admin.create_user", "POST"): ("/admin/brugere/ny", _admin(400)),  # empty form
    ("admin.user", "GET"): ("/admin/brugere/{target}", _admin(200)),
    ("admin.change_role", "POST"): ("/admin/brugere/{target}/rolle", _admin(400)),  # no role
    ("admin.deactivate", "GET"): ("/admin/brugere/{leaving}/deaktiver", _admin(200)),
    ("admin.deactivate", "POST"): ("/admin/brugere/{leaving}/deaktiver", _admin(302)),
    ("admin.reactivate", "POST"): ("/admin/brugere/{leaving}/genaktiver", _admin(302)),
    ("admin.invite", "POST"): ("/admin/brugere/{invited}/invitation", _admin(302)),
    ("admin.reset_link", "POST"): ("/admin/brugere/{target}/nulstil", _admin(302)),
    ("admin.log", "GET"): ("/admin/log", _admin(200)),
}


def prepare(app) -> dict:
    with app.app_context():
        target = auth.create_user("maal@example.com", "Mål Bruger", "staff", PASSWORD)
        leaving = auth.create_user("gaar@example.com", "Går Bruger", "staff", PASSWORD)
        invited = auth.create_user("ny@example.com", "Ny Bruger", "editor", None)
        db.session.commit()
        return {"target": target.id, "leaving": leaving.id, "invited": invited.id}
