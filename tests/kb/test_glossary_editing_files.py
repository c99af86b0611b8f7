"""The glossary's files and browser together (issue 11): after a term is changed in the
browser a content sync leaves the glossary alone and reports the conflict; ``portal content
export`` writes the terms back into ordliste.md, and a sync of the export changes nothing."""

from __future__ import annotations

import frontmatter
import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.models import GlossaryTerm
from tests.kb.editing_helpers import page, revisions_of, soup

NEW = "/ordliste/ny"


@pytest.fixture
def edited(synced, client, auth, make_user):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    token = soup(client.get(NEW)).select_one("form.term-form input[name=csrf_token]")["value"]
    data = {"term": "misbrug", "synonyms": "alkohol", "definition": "Brug af *stoffer*."}
    assert client.post(NEW, data=data | {"csrf_token": token}).status_code == 302


def terms(app) -> list[tuple]:
    with app.app_context():
        return [
            (t.term, t.long_form, tuple(t.synonyms), t.definition)
            for t in db.session.scalars(sa.select(GlossaryTerm).order_by(GlossaryTerm.id))
        ]


def test_sync_never_overwrites_the_glossary_edited_in_the_browser(app, edited, sync, content_dir):
    before = terms(app)
    path = content_dir / "vejviser" / "ordliste.md"
    path.write_text(
        path.read_text().replace("definition: Det politiske udvalg", "definition: X", 1)
    )
    report = sync()
    assert report.conflicts == ["ordliste"]
    assert terms(app) == before and ("misbrug", None, ("alkohol",), "Brug af *stoffer*.") in before
    assert [r.action for r in revisions_of(app, "ordliste")][-1] == "edit"


def test_an_unchanged_file_does_not_overwrite_the_glossary_either(app, edited, sync):
    before = terms(app)
    report = sync()
    assert "ordliste" in report.unchanged and terms(app) == before


def test_export_then_sync_changes_nothing(app, edited, runner, tmp_path):
    target = tmp_path / "eksport"
    result = runner.invoke(args=["portal", "content", "export", str(target)])
    assert result.exit_code == 0, result.output
    exported = frontmatter.load(target / "vejviser" / "ordliste.md").metadata["terms"]
    assert {
        "term": "misbrug",
        "synonyms": ["alkohol"],
        "definition": "Brug af *stoffer*.",
    } in exported
    before = (terms(app), len(revisions_of(app, "ordliste")))

    app.config["CONTENT_DIR"] = str(target)
    result = runner.invoke(args=["portal", "content", "sync", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "0 nye, 0 opdaterede" in result.output and "konflikt" not in result.output
    assert (terms(app), len(revisions_of(app, "ordliste"))) == before
    assert page(app, "ordliste").edited_in_browser_at is None  # file and glossary agree again


def test_a_sync_revision_of_the_glossary_holds_its_terms(app, synced):
    state = revisions_of(app, "ordliste")[-1].state
    assert [t["term"] for t in state["terms"]] == [t[0] for t in terms(app)]
