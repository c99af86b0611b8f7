"""Access matrix rows for news (see tests/test_access_matrix.py)."""

from portal.extensions import db
from portal.news import services

ROLES = ["anon", "staff", "contact", "editor", "admin"]


def _all(status):
    return dict.fromkeys(ROLES, status)


EDITORS_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}
CONTACTS_ONLY = {"anon": 302, "staff": 403, "contact": 200, "editor": 403, "admin": 403}

EXPECTED = {
    ("news.index", "GET"): ("/nyheder/", _all(200)),
    ("news.item", "GET"): ("/nyheder/{slug}", _all(200)),
    ("news.feed", "GET"): ("/nyheder.atom", _all(200)),
    ("news.pass_on", "GET"): ("/nyheder/videreformidling", CONTACTS_ONLY),
    ("news.passed_on", "POST"): (
        "/nyheder/{item}/videreformidlet",
        {**CONTACTS_ONLY, "contact": 302},
    ),
    ("news.manage", "GET"): ("/redaktion/nyheder/", EDITORS_ONLY),
    ("news.create", "GET"): ("/redaktion/nyheder/ny", EDITORS_ONLY),
    ("news.create", "POST"): (
        "/redaktion/nyheder/ny",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},
    ),  # empty form
    ("news.edit", "GET"): ("/redaktion/nyheder/{item}", EDITORS_ONLY),
    ("news.edit", "POST"): (
        "/redaktion/nyheder/{item}",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},
    ),  # empty form
    ("news.unpublish", "POST"): (
        "/redaktion/nyheder/{draft}/afpublicer",
        {**EDITORS_ONLY, "editor": 302, "admin": 302},
    ),
}


def prepare(app) -> dict:
    with app.app_context():
        item = services.create(
            services.NewsData(title="Adgang til nyheder", pass_on=True), actor=None
        )
        services.publish(item, None)
        draft = services.create(services.NewsData(title="Adgang kladde"), actor=None)
        db.session.commit()
        return {"slug": item.slug, "item": item.id, "draft": draft.id}
