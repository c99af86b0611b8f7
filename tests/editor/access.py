"""Access matrix rows for the editors' area (see tests/test_access_matrix.py)."""

from portal.editor import services
from portal.extensions import db
from portal.kb.models import Page

EDITORS_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}
EDITOR_POST = {"anon": 302, "staff": 403, "contact": 403, "editor": 302, "admin": 302}

EXPECTED = {
    ("editor.index", "GET"): ("/redaktion", EDITORS_ONLY),
    ("editor.shortcuts", "GET"): ("/redaktion/genveje", EDITORS_ONLY),
    ("editor.shortcuts", "POST"): (
        "/redaktion/genveje",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},
    ),  # no page
    ("editor.remove_shortcut", "POST"): ("/redaktion/genveje/{shortcut}/fjern", EDITOR_POST),
    ("editor.preview", "POST"): ("/redaktion/forhaandsvisning", EDITORS_ONLY),
}


def prepare(app) -> dict:
    """One shortcut per editor role (the editor removes one, the admin the other)."""
    with app.app_context():
        pages = db.session.scalars(db.select(Page).order_by(Page.id).limit(1)).all()
        shortcut = services.add_shortcut(pages[0].id, None)
        db.session.commit()
        return {"shortcut": shortcut.id}
