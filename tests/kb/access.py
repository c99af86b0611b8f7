"""Access matrix rows for editing guides and procedures (see tests/test_access_matrix.py).
Posts carry only a CSRF token: a new page is refused on its fields (400), an edit without the
version it was opened at as a conflict (409), and a restore or a change of publication without
the version as a conflict too (302 back to the history, nothing changed)."""

EVERYONE = dict.fromkeys(["anon", "staff", "contact", "editor", "admin"], 200)
EDITORS_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}
EDITOR_POST = {"anon": 302, "staff": 403, "contact": 403, "editor": 302, "admin": 302}
EDITOR_REFUSED = {**EDITORS_ONLY, "editor": 400, "admin": 400}
EDITOR_CONFLICT = {**EDITORS_ONLY, "editor": 409, "admin": 409}  # no version: not the latest
PAGE = "/vejviser/groen-linie"

EXPECTED = {
    ("kb.new", "GET"): ("/vejviser/ny", EDITORS_ONLY),
    ("kb.new", "POST"): ("/sagsgange/ny", EDITOR_REFUSED),
    ("kb.edit", "GET"): ("/sagsgange/samarbejdsmodellen/rediger", EDITORS_ONLY),
    ("kb.edit", "POST"): (f"{PAGE}/rediger", EDITOR_CONFLICT),
    # The history of a published page is as readable as the page.
    ("kb.history", "GET"): (f"{PAGE}/historik", EVERYONE),
    ("kb.mark_reviewed", "POST"): (f"{PAGE}/gennemgaaet", EDITOR_POST),
    ("kb.compare", "GET"): (f"{PAGE}/sammenlign", EVERYONE),
    ("kb.changes", "GET"): ("/aendringer", EVERYONE),
    ("kb.changes_feed", "GET"): ("/aendringer.atom", EVERYONE),
    ("kb.restore", "POST"): (f"{PAGE}/historik/1/gendan", EDITOR_POST),
    ("kb.unpublish", "POST"): (f"{PAGE}/afpublicer", EDITOR_POST),
    ("kb.publish", "POST"): (f"{PAGE}/udgiv", EDITOR_POST),
}


def prepare(app) -> dict:
    return {}


# The glossary in the browser: a new term with only a CSRF token is refused on its fields
# (400), an edit without the version as a conflict (409), a removal without the tick is sent
# back to the term's form (302, nothing removed).
EXPECTED |= {
    ("kb.glossary_new", "GET"): ("/ordliste/ny", EDITORS_ONLY),
    ("kb.glossary_new", "POST"): ("/ordliste/ny", EDITOR_REFUSED),
    ("kb.glossary_edit", "GET"): ("/ordliste/bif/rediger", EDITORS_ONLY),
    ("kb.glossary_edit", "POST"): ("/ordliste/bif/rediger", EDITOR_CONFLICT),
    ("kb.glossary_remove", "POST"): ("/ordliste/sof/fjern", EDITOR_POST),
}
