"""No lost update of a page: of several saves opened at the same version, exactly one is
accepted and every other is refused with the conflict message (several processes, on
PostgreSQL, where only the database can tell them apart)."""

from __future__ import annotations

import pytest

from tests.concurrent_saves import save_at_once
from tests.kb.editing_helpers import form_data, page, revisions_of

SAVERS = 4
GUIDE = "groen-linie"
EDIT = f"/vejviser/{GUIDE}/rediger"


def test_concurrent_saves_of_one_version_accept_exactly_one(
    app, client, auth, database_url, tmp_path, synced, make_user
):
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes: PostgreSQL (SQLite serialises every write)")
    emails = [make_user("editor").email for _ in range(SAVERS)]
    auth.login(emails[0])
    opened = form_data(client.get(EDIT))
    forms = [opened | {"summary": f"Rettelse {n}.", "note": f"Rettelse {n}"} for n in range(SAVERS)]
    results = save_at_once(
        database_url, tmp_path, emails, EDIT, forms, "portal.kb.editing.check_version"
    )
    accepted = [n for n, r in enumerate(results) if r["status"] == 302]
    assert len(accepted) == 1, results
    refused = [r for n, r in enumerate(results) if n not in accepted]
    assert all(r["status"] == 409 and r["conflict"] for r in refused), results
    assert page(app, GUIDE).summary == f"Rettelse {accepted[0]}."
    assert [r.action for r in revisions_of(app, GUIDE)] == ["sync", "edit"]
