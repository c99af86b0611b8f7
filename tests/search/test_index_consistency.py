"""The outbox keeps the index true: read-your-writes, exact removal, rebuild, check, and no lost
update with several processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal import search
from portal.extensions import db
from portal.kb.models import Page
from portal.search.models import SearchOutbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def edit_route(app):
    """A route that changes a page and commits, as every feature's views do."""
    from flask import request

    @app.get("/_test/ret/<slug>")
    def edit(slug):
        page = db.session.scalar(sa.select(Page).where(Page.slug == slug))
        if "titel" in request.args:
            page.title = request.args["titel"]
        if "skjul" in request.args:
            page.published = False
        if "slet" in request.args:
            db.session.delete(page)
        db.session.commit()
        return "ok"

    return "/_test/ret/"


def outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(SearchOutbox.id)))


def titles(api, q) -> list[str]:
    return [r["title"] for r in api(q)["results"]]


def test_change_is_searchable_when_the_request_returns(indexed, client, api, edit_route):
    client.get(edit_route + "jobplan", query_string={"titel": "Kvartalsmålsætning jobplan"})
    assert "Kvartalsmålsætning jobplan" in titles(api, "kvartalsmålsætning")
    assert outbox(indexed) == 0


def test_unpublish_and_delete_leave_the_index_at_once(indexed, client, api, edit_route):
    assert "Jobplanen" in " ".join(titles(api, "jobplan")) or titles(api, "jobplan")
    client.get(edit_route + "jobplan", query_string={"skjul": "1"})
    assert "/vejviser/jobplan" not in [r["url"] for r in api("jobplan")["results"]]
    client.get(edit_route + "samtykke", query_string={"slet": "1"})
    assert "/vejviser/samtykke" not in [r["url"] for r in api("samtykke")["results"]]


def test_outbox_row_is_written_in_the_same_transaction(indexed):
    with indexed.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "jobplan"))
        page.title = "Ændret"
        db.session.flush()
        assert db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) == 1
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) == 0


def test_indexer_removes_exactly_the_rows_it_applied(indexed):
    with indexed.app_context():
        for slug in ("jobplan", "samtykke"):
            db.session.scalar(sa.select(Page).where(Page.slug == slug)).summary = "Ny tekst."
            db.session.commit()
        db.session.info.pop("search_pending", None)
        assert search.apply_pending(limit=1) == 1
        assert db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) == 1
        assert search.apply_pending() == 1
        assert search.check().ok


def test_check_reports_drift_and_rebuild_repairs_it(indexed, runner):
    with indexed.app_context():
        db.session.execute(sa.update(Page).where(Page.slug == "jobplan").values(title="Skjult"))
        db.session.commit()
        report = search.check()
        assert len(report.stale) == 1 and not report.missing
    result = runner.invoke(args=["portal", "search", "check"])
    assert result.exit_code != 0 and "forældet i indekset: 1" in result.output
    result = runner.invoke(args=["portal", "search", "rebuild"])
    assert result.exit_code == 0 and "Søgeindeks: 29 dokumenter" in result.output
    result = runner.invoke(args=["portal", "search", "check"])
    assert result.exit_code == 0 and "i takt med databasen" in result.output


def test_search_sync_applies_what_waits(indexed, runner):
    with indexed.app_context():
        db.session.scalar(sa.select(Page).where(Page.slug == "jobplan")).title = "Ventende"
        db.session.commit()
        db.session.info.pop("search_pending", None)
    result = runner.invoke(args=["portal", "search", "sync"])
    assert "1 ændringer anvendt" in result.output
    assert outbox(indexed) == 0


WRITER = """
import sys
from pathlib import Path
import sqlalchemy as sa
from portal import search
from portal.extensions import db
from portal.kb.models import Page
from tests.conftest import make_test_app

url, tmp, me, rounds = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
app = make_test_app(url, tmp, SEARCH_WRITER_TIMEOUT=30.0)
with app.app_context():
    for n in range(rounds):
        for slug in (me, "samtykke"):  # its own page, and one page every process writes
            page = db.session.scalar(sa.select(Page).where(Page.slug == slug))
            page.title = f"{me} runde {n}"
            db.session.commit()
            db.session.info.pop("search_pending", None)
            search.apply_pending()
    db.engine.dispose()
"""


def test_no_update_is_lost_with_three_processes(indexed, database_url, tmp_path):
    slugs = ["jobplan", "matchgrupper", "groen-linie"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database_url, str(tmp_path), slug, "8"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for slug in slugs
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors
    with indexed.app_context():
        report = search.check()
        assert report.ok, report
        for slug in slugs:
            assert search.search(f'"{slug} runde 7"').results[0].title == f"{slug} runde 7"
