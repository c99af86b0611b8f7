"""Access matrix rows for mail (see tests/test_access_matrix.py)."""

from portal.extensions import db
from portal.mail.models import MailMessage


def _admin(status: int) -> dict[str, int]:
    return {"anon": 302, "staff": 403, "contact": 403, "editor": 403, "admin": status}


def _logged_in(status: int) -> dict[str, int]:
    return {"anon": 302, "staff": status, "contact": status, "editor": status, "admin": status}


EXPECTED = {
    ("mail.settings", "GET"): ("/min-konto/e-mail", _logged_in(200)),
    ("mail.settings", "POST"): ("/min-konto/e-mail", _logged_in(302)),  # all optional mail off
    ("mail.messages", "GET"): ("/admin/post", _admin(200)),
    ("mail.message", "GET"): ("/admin/post/{message}", _admin(200)),
    ("mail.retry", "POST"): ("/admin/post/{message}/send-igen", _admin(302)),
}


def prepare(app) -> dict:
    with app.app_context():
        message = MailMessage(
            key="access-matrix",
            kind="reset",
            to_address="x@example.com",
            subject="Prøve",
            body_text="Tekst",
            body_html="<p>Tekst</p>",
            status="failed",
        )
        db.session.add(message)
        db.session.commit()
        return {"message": message.id}
