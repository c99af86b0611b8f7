"""`portal content sync`: idempotent, updates changed files, unpublishes removed ones, and
refuses malformed files with a message naming file and field, loading nothing."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.content import ContentError
from portal.kb.models import Page

VALID = """---
title: Ny vejviser
summary: En kort tekst.
administration: both
category: Opslag
tags: [test]
owner: BIF-SOF specialenheden
reviewed: 2026-11-23
related: []
---
## Kort fortalt

Tekst.
"""


def page_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Page.id)))


def test_second_sync_changes_nothing(app, sync):
    first = sync()
    assert len(first.created) == page_count(app) >= 29
    second = sync()
    assert not second.changed and len(second.unchanged) == len(first.created)
    with app.app_context():
        assert set(db.session.scalars(sa.select(Page.version))) == {1}


def test_changed_file_is_updated_and_rendered_again(app, client, sync, content_dir):
    sync()
    path = content_dir / "vejviser" / "groen-linie.md"
    path.write_text(path.read_text().replace("## Kort fortalt", "## Kort fortalt\n\nNY SÆTNING."))
    report = sync()
    assert report.updated == ["groen-linie"] and not report.created
    assert "NY SÆTNING." in client.get("/vejviser/groen-linie").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Page.version).where(Page.slug == "groen-linie")) == 2


def test_removed_file_is_unpublished_not_deleted(app, client, sync, content_dir):
    sync()
    for path in content_dir.glob("*/*.md"):  # nothing may point at the removed page
        path.write_text(
            path.read_text()
            .replace("hjemloes-borger, ", "")
            .replace(", hjemloes-borger", "")
            .replace("[hjemloes-borger]", "[]")
        )
    (content_dir / "sagsgange" / "hjemloes-borger.md").unlink()
    report = sync()
    assert report.unpublished == ["hjemloes-borger"]
    assert client.get("/sagsgange/hjemloes-borger").status_code == 404
    assert "hjemloes-borger" not in client.get("/sagsgange/").get_data(as_text=True)
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "hjemloes-borger"))
        assert page is not None and page.published is False
    assert not sync().changed


def test_glossary_change_renders_every_page_again(sync, content_dir):
    sync()
    glossary = content_dir / "vejviser" / "ordliste.md"
    glossary.write_text(glossary.read_text().replace("## Kort fortalt", "## Kort fortalt\n\nX."))
    report = sync()
    assert not report.unchanged and len(report.updated) >= 29


@pytest.mark.parametrize(
    "folder, change, expected",
    [
        ("vejviser", ("title: Ny vejviser\n", ""), "nyt-emne.md: feltet 'title' mangler"),
        (
            "vejviser",
            ("administration: both", "administration: KK"),
            "nyt-emne.md: feltet 'administration' skal være BIF, SOF eller both",
        ),
        (
            "vejviser",
            ("reviewed: 2026-11-23", "reviewed: i går"),
            "nyt-emne.md: feltet 'reviewed' skal være en dato",
        ),
        (
            "vejviser",
            ("related: []", "related: [findes-ikke]"),
            "nyt-emne.md: feltet 'related.1' peger på ukendt side 'findes-ikke'",
        ),
        (
            "vejviser",
            ("tags: [test]", "tags: [test]\nfarve: rød"),
            "nyt-emne.md: feltet 'farve' er ikke et kendt felt",
        ),
        (
            "vejviser",
            ("summary: En kort tekst.", "summary: [ikke: lukket"),
            "nyt-emne.md: front matter er ikke gyldig YAML",
        ),
        (
            "sagsgange",
            (
                "related: []",
                "related: []\ntrigger: Når noget sker.\nsteps:\n"
                "  - owner: BIF\n    title: Gør noget\n    text: Sådan.\n"
                "  - owner: KK\n    title: Gør mere\n    text: Sådan.",
            ),
            "nyt-emne.md: feltet 'steps.2.owner' skal være BIF, SOF eller both",
        ),
        (
            "sagsgange",
            ("related: []", "related: []\ntrigger: Når noget sker."),
            "nyt-emne.md: feltet 'steps' mangler",
        ),
        (
            "vejviser",
            ("Tekst.", "Borgerens CPR er 010203-1234."),
            "nyt-emne.md: indeholder noget, der ligner et CPR-nummer",
        ),
    ],
)
def test_malformed_file_is_refused_and_nothing_is_loaded(
    app, sync, content_dir, folder, change, expected
):
    sync()
    before = page_count(app)
    # A valid new page in the same run must not be loaded either.
    (content_dir / "vejviser" / "endnu-en.md").write_text(VALID)
    (content_dir / folder / "nyt-emne.md").write_text(VALID.replace(*change))
    with pytest.raises(ContentError) as caught:
        sync()
    assert expected in caught.value.message
    assert f"{folder}/nyt-emne.md" in caught.value.message
    assert page_count(app) == before


def test_cli_reports_what_it_did_and_refuses_a_malformed_file(app, runner, content_dir):
    result = runner.invoke(args=["portal", "content", "sync"])
    assert result.exit_code == 0 and "uændrede" in result.output
    assert "0 nye" in runner.invoke(args=["portal", "content", "sync"]).output
    (content_dir / "vejviser" / "Forkert Navn.md").write_text(VALID)
    result = runner.invoke(args=["portal", "content", "sync"])
    assert result.exit_code != 0
    assert "vejviser/Forkert Navn.md: filnavnet skal være en slug" in result.output
