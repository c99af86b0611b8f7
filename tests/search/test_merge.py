"""Saves leave small index segments (no save waits for a merge); ``portal jobs run`` merges
them, and search finds the same before and after."""

from __future__ import annotations

from itertools import pairwise

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.models import Page
from portal.search import index
from portal.transaction import transaction


@pytest.fixture
def app_config(app_config):
    """Whoosh's segments: Whoosh on either database."""
    return {**app_config, "SEARCH_ENGINE": "whoosh"}


def segments(app) -> int:
    with app.app_context():
        index.forget(app.config["SEARCH_INDEX_DIR"])
        return len(index.open_index(app.config["SEARCH_INDEX_DIR"])._segments())


def test_saves_leave_segments_and_the_jobs_merge_them(indexed, api):
    app = indexed
    for n in range(5):  # five separate saves, each its own commit
        with app.app_context(), transaction():
            page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
            page.summary = f"Ændret resumé nummer {n} med ordet blåbærgrød{n}"
            page.version += 1
    assert segments(app) >= 5
    before = [hit["url"] for hit in api("blåbærgrød4")["results"]]
    assert before == ["/vejviser/groen-linie"]

    result = app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0 and "segmenter lagt sammen" in result.output
    assert segments(app) <= 2  # the rebuilt base segment, and one of all the small ones
    again = app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert "segmenter" not in again.output  # nothing left to merge: the job says nothing
    assert [hit["url"] for hit in api("blåbærgrød4")["results"]] == before
    assert api("blåbærgrød3")["results"] == []  # the older text is gone, not resurrected


def test_a_save_merges_the_small_segments_once_there_are_many(indexed, api):
    """Should the jobs not run (or saves come faster than they do: the load benchmark's
    profile edits), a save merges the small segments when there are
    ``SEGMENTS_BEFORE_MERGE``: searches never read many more."""
    app = indexed
    counts = []
    for n in range(3 * index.SEGMENTS_BEFORE_MERGE):
        with app.app_context(), transaction():
            page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
            page.summary = f"Ændret resumé nummer {n} med ordet tyttebærgrød{n}"
            page.version += 1
        counts.append(segments(app))
    assert max(counts) <= index.SEGMENTS_BEFORE_MERGE
    assert any(later < earlier for earlier, later in pairwise(counts))  # a save merged
    last = f"tyttebærgrød{3 * index.SEGMENTS_BEFORE_MERGE - 1}"
    assert [hit["url"] for hit in api(last)["results"]] == ["/vejviser/groen-linie"]
    assert api("tyttebærgrød0")["results"] == []
