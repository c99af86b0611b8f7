"""Access matrix rows for the contact directory (see tests/test_access_matrix.py)."""

from portal.contacts import invitations, units
from portal.contacts.models import Team
from portal.extensions import db

ROLES = ["anon", "staff", "contact", "editor", "admin"]


def _all(status):
    return dict.fromkeys(ROLES, status)


EDITORS_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}
EDITOR_POST = {"anon": 302, "staff": 403, "contact": 403, "editor": 302, "admin": 302}
ADMIN_ONLY = {"anon": 302, "staff": 403, "contact": 403, "editor": 403, "admin": 200}


def _editors(status: int) -> dict[str, int]:
    """Editors' forms sent empty: the status of the refusal an editor gets."""
    return {**EDITORS_ONLY, "editor": status, "admin": status}


UNITS = "/redaktion/enheder"

EXPECTED = {
    ("contacts.directory", "GET"): ("/kontaktpersoner/", _all(200)),
    ("contacts.profile", "GET"): ("/kontaktpersoner/{contact}", _all(200)),
    ("contacts.photo", "GET"): ("/kontaktpersoner/{contact}/foto", _all(404)),  # no photo
    ("contacts.vcard", "GET"): ("/kontaktpersoner/{contact}.vcf", _all(200)),
    ("contacts.vcards", "GET"): ("/kontaktpersoner.vcf", _all(200)),
    ("contacts.api_contacts", "GET"): ("/api/contacts", _all(200)),
    ("contacts.export_csv", "GET"): ("/kontaktpersoner.csv", EDITORS_ONLY),
    # The access matrix's contact user has no profile: 404 rather than someone else's.
    ("contacts.my_profile", "GET"): (
        "/min-profil",
        {"anon": 302, "staff": 403, "contact": 404, "editor": 403, "admin": 403},
    ),
    ("contacts.my_profile", "POST"): (
        "/min-profil",
        {"anon": 302, "staff": 403, "contact": 404, "editor": 403, "admin": 403},
    ),
    ("contacts.confirm", "POST"): (
        "/min-profil/bekraeft",
        {"anon": 302, "staff": 403, "contact": 404, "editor": 403, "admin": 403},
    ),
    ("contacts.my_history", "GET"): (
        "/min-profil/historik",
        {"anon": 302, "staff": 403, "contact": 404, "editor": 403, "admin": 403},
    ),
    ("contacts.my_data", "GET"): (
        "/min-profil/data.json",
        {"anon": 302, **dict.fromkeys(ROLES[1:], 200)},
    ),
    ("contacts.edit", "GET"): ("/kontaktpersoner/{contact}/rediger", EDITORS_ONLY),
    ("contacts.edit", "POST"): (
        "/kontaktpersoner/{contact}/rediger",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},
    ),  # empty form
    ("contacts.history", "GET"): ("/kontaktpersoner/{contact}/historik", EDITORS_ONLY),
    ("contacts.create", "GET"): ("/kontaktpersoner/ny", EDITORS_ONLY),
    ("contacts.create", "POST"): (
        "/kontaktpersoner/ny",
        {**EDITORS_ONLY, "editor": 400, "admin": 400},
    ),  # empty form
    ("contacts.invite", "POST"): ("/kontaktpersoner/{contact}/inviter", EDITOR_POST),
    ("contacts.invitation", "GET"): ("/kontaktpersoner/{contact}/invitation", EDITORS_ONLY),
    ("contacts.stale", "GET"): ("/kontaktpersoner/opfoelgning", EDITORS_ONLY),
    # Destructive actions ask first (GET), then act (POST). The rows run in sorted order:
    # {other} is deactivated, then reactivated; {third} is never erased (no name typed).
    ("contacts.deactivate", "GET"): ("/kontaktpersoner/{other}/deaktiver", EDITORS_ONLY),
    ("contacts.deactivate", "POST"): ("/kontaktpersoner/{other}/deaktiver", EDITOR_POST),
    ("contacts.deactivated", "GET"): ("/kontaktpersoner/deaktiverede", EDITORS_ONLY),
    ("contacts.reactivate", "POST"): ("/kontaktpersoner/{other}/genaktiver", EDITOR_POST),
    ("contacts.erase", "GET"): ("/kontaktpersoner/{third}/slet", ADMIN_ONLY),
    ("contacts.erase", "POST"): (
        "/kontaktpersoner/{third}/slet",
        {**ADMIN_ONLY, "admin": 400},  # the name not typed: nothing erased
    ),
    ("contacts.accept_invite", "GET"): ("/invitation/ugyldigt-link", _all(400)),
    ("contacts.accept_invite", "POST"): ("/invitation/ugyldigt-link", _all(400)),
    # A reminder mail's one-click link: open to all; a link that is not valid is a 400.
    ("contacts.confirm_by_link", "GET"): ("/min-profil/bekraeft/ugyldigt-link", _all(400)),
    ("contacts.confirm_by_link", "POST"): ("/min-profil/bekraeft/ugyldigt-link", _all(400)),
    # The editors' lists (issue 14 #4). Empty forms: a name or a choice is missing (400), a
    # rename without the version it was opened at is a conflict (409).
    ("contacts.units", "GET"): (UNITS, EDITORS_ONLY),
    ("contacts.units_add_centre", "POST"): (f"{UNITS}/centre", _editors(400)),
    ("contacts.units_add_team", "POST"): (f"{UNITS}/teams", _editors(400)),
    ("contacts.units_centre", "GET"): (UNITS + "/centre/{centre}", EDITORS_ONLY),
    ("contacts.units_centre", "POST"): (UNITS + "/centre/{centre}", _editors(409)),
    ("contacts.units_merge_centre", "POST"): (UNITS + "/centre/{centre}/saml", _editors(400)),
    ("contacts.units_team", "GET"): (UNITS + "/teams/{team}", EDITORS_ONLY),
    ("contacts.units_team", "POST"): (UNITS + "/teams/{team}", _editors(409)),
    ("contacts.units_merge_team", "POST"): (UNITS + "/teams/{team}/saml", _editors(400)),
    ("contacts.units_approve", "POST"): (UNITS + "/teams/{proposal}/godkend", EDITOR_POST),
    ("contacts.units_reject", "POST"): (UNITS + "/teams/{rejected}/afvis", EDITOR_POST),
    ("contacts.units_merge_areas", "POST"): (f"{UNITS}/omraader/saml", _editors(400)),
}


def prepare(app) -> dict:
    with app.app_context():
        ids = []
        for n in range(3):
            profile = invitations.create_contact(
                {"name": f"Adgang {n}", "email": f"adgang{n}@example.com", "administration": "BIF"},
                actor=None,
            )
            ids.append(profile.id)
        centre, team = units.ensure("BIF", "Adgangscentret", "Adgangsteamet")
        proposals = [
            Team(name=name, key=name.lower(), centre=centre, approved=False)
            for name in ("Forslag A", "Forslag B")
        ]
        db.session.add_all(proposals)
        db.session.commit()
        lists = {"centre": centre.id, "team": team.id}
        lists.update(proposal=proposals[0].id, rejected=proposals[1].id)
    return {"contact": ids[0], "other": ids[1], "third": ids[2], **lists}
