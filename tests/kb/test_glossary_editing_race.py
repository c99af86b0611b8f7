"""No lost update of the glossary (several processes, on PostgreSQL): of several saves of one
term opened at the same version exactly one is accepted, the others are refused as conflicts;
of several editors adding the same new word at once exactly one adds it, the others are told
it is already there (glossary changes take turns on the glossary page's row)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.models import GlossaryTerm
from tests.concurrent_saves import save_at_once
from tests.kb.editing_helpers import revisions_of, soup

SAVERS = 3


@pytest.fixture
def editors(app, database_url, synced, make_user, client, auth) -> list[str]:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes: PostgreSQL (SQLite serialises every write)")
    emails = [make_user("editor").email for _ in range(SAVERS)]
    auth.login(emails[0])
    return emails


def test_concurrent_saves_of_one_term_accept_exactly_one(
    app, client, database_url, tmp_path, editors
):
    url = "/ordliste/sof/rediger"
    form = soup(client.get(url)).select_one("form.term-form")
    opened = {
        i["name"]: i.get("value", "") for i in form.select("input") if i["name"] != "csrf_token"
    }
    forms = [opened | {"definition": f"Forklaring {n}."} for n in range(SAVERS)]
    before = len(revisions_of(app, "ordliste"))
    results = save_at_once(
        database_url, tmp_path, editors, url, forms, "portal.kb.glossary.check_version"
    )
    accepted = [n for n, r in enumerate(results) if r["status"] == 302]
    assert len(accepted) == 1, results
    assert all(
        r["status"] == 409 and r["conflict"] for n, r in enumerate(results) if n not in accepted
    )
    with app.app_context():
        term = db.session.scalar(sa.select(GlossaryTerm).where(GlossaryTerm.slug == "sof"))
        assert term.definition == f"Forklaring {accepted[0]}."
    assert len(revisions_of(app, "ordliste")) == before + 1


def test_the_same_new_word_added_at_once_is_added_once(
    app, client, database_url, tmp_path, editors
):
    forms = [
        {"term": "misbrug", "synonyms": f"alkohol{n}", "definition": "Brug."} for n in range(SAVERS)
    ]
    results = save_at_once(
        database_url, tmp_path, editors, "/ordliste/ny", forms, "portal.kb.glossary.contains_cpr"
    )
    assert sorted(r["status"] for r in results) == [302] + [400] * (SAVERS - 1), results
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(GlossaryTerm)
            .where(GlossaryTerm.term == "misbrug")
        )
        assert count == 1
