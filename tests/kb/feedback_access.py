"""Access matrix rows for reader feedback (see tests/test_access_matrix.py, which adds them)."""

import sqlalchemy as sa

from portal.extensions import db
from portal.kb.feedback import PageFeedback
from portal.kb.models import Page

ROLES = ["anon", "staff", "contact", "editor", "admin"]
EDITORS_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}
# Logged in: the form without its own fields (no answer, no token of its own) is a 400.
READERS_POST = {"anon": 302, **dict.fromkeys(ROLES[1:], 400)}

EXPECTED = {
    ("kb.guide_feedback", "POST"): ("/vejviser/groen-linie/tilbagemelding", READERS_POST),
    ("kb.procedure_feedback", "POST"): (
        "/sagsgange/samarbejdsmodellen/tilbagemelding",
        READERS_POST,
    ),
    ("kb.overview", "GET"): ("/redaktion/tilbagemeldinger", EDITORS_ONLY),
    ("kb.page_feedback", "GET"): ("/redaktion/tilbagemeldinger/groen-linie", EDITORS_ONLY),
    ("kb.handle", "POST"): (
        "/redaktion/tilbagemeldinger/{feedback}/behandl",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},  # no reply note
    ),
}


def prepare(app) -> dict:
    """One open item (its author since erased) for the handling row."""
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
        item = PageFeedback(page_id=page.id, user_id=None, useful=False, comment="Forældet.")
        db.session.add(item)
        db.session.commit()
        return {"feedback": item.id}
