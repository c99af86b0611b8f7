"""Files and browser together (issue 11): after a browser edit, a content sync never overwrites
the page (it reports the conflict and changes nothing for it); ``portal content export``
writes the pages back as files, and a sync of what was exported changes nothing."""

from __future__ import annotations

import pytest

from tests.kb.editing_helpers import form_data, page, revisions_of

GUIDE = "groen-linie"
EDIT = f"/vejviser/{GUIDE}/rediger"


@pytest.fixture
def edited(synced, client, auth, make_user):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    data = form_data(client.get(EDIT)) | {"summary": "Rettet i browseren.", "note": "Rettelse"}
    assert client.post(EDIT, data=data).status_code == 302


def test_sync_never_overwrites_a_page_edited_in_the_browser(app, edited, sync, content_dir):
    path = content_dir / "vejviser" / f"{GUIDE}.md"
    path.write_text(path.read_text().replace("title:", "title: Ændret i filen –", 1))
    report = sync()
    assert report.conflicts == [GUIDE]
    assert GUIDE not in report.updated
    assert page(app, GUIDE).summary == "Rettet i browseren."
    assert [r.action for r in revisions_of(app, GUIDE)] == ["sync", "edit"]


def test_sync_never_unpublishes_a_page_edited_in_the_browser(
    app, client, auth, make_user, sync, content_dir
):
    extra = content_dir / "vejviser" / "ekstra-side.md"
    extra.write_text((content_dir / "vejviser" / f"{GUIDE}.md").read_text())
    sync()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    url = "/vejviser/ekstra-side/rediger"
    assert client.post(url, data=form_data(client.get(url)) | {"note": "x"}).status_code == 302
    extra.unlink()
    report = sync()
    assert report.conflicts == ["ekstra-side"] and report.unpublished == []
    assert page(app, "ekstra-side").published


def test_the_cli_names_the_conflicting_page(app, edited, runner, content_dir):
    path = content_dir / "vejviser" / f"{GUIDE}.md"
    path.write_text(path.read_text().replace("title:", "title: Ændret i filen –", 1))
    result = runner.invoke(args=["portal", "content", "sync"])
    assert result.exit_code == 0
    assert f"konflikt: {GUIDE} er rettet i browseren" in result.output
    assert "1 ikke indlæst" in result.output


def test_export_then_sync_changes_nothing(app, edited, runner, tmp_path, content_dir):
    target = tmp_path / "eksport"
    result = runner.invoke(args=["portal", "content", "export", str(target)])
    assert result.exit_code == 0, result.output
    exported = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.md"))
    originals = sorted(p.relative_to(content_dir).as_posix() for p in content_dir.rglob("*.md"))
    assert exported == [p for p in originals if not p.endswith("README.md")]
    assert "Rettet i browseren." in (target / "vejviser" / f"{GUIDE}.md").read_text()
    before = {r.page_id: r.number for r in revisions_of(app, GUIDE)}

    app.config["CONTENT_DIR"] = str(target)
    result = runner.invoke(args=["portal", "content", "sync", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "0 nye, 0 opdaterede" in result.output and "afpublicerede" in result.output
    assert "0 afpublicerede" in result.output and "konflikt" not in result.output
    assert {r.page_id: r.number for r in revisions_of(app, GUIDE)} == before
    # File and page agree again: the next change to the file is read as usual.
    assert page(app, GUIDE).edited_in_browser_at is None
