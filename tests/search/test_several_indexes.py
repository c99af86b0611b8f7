"""Several servers, each with its own Whoosh index, share one database and one outbox: a change
through one is found by a search through the other; a lagging index holds rows back, loses
nothing, and rows go once both have applied them; an index not seen for long (or forgotten
by the operator) stops holding rows back and rebuilds when it returns; a running index is
seen in a quiet week; one index's appliers take turns, and a search waits for none of them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import search
from portal.db import utcnow
from portal.extensions import db
from portal.kb.models import Page
from portal.search import indexing
from portal.search.models import SearchIndexState, SearchOutbox
from portal.search.whoosh_engine import WhooshEngine
from portal.transaction import transaction
from tests.conftest import make_test_app


@pytest.fixture
def app_config(app_config):
    """Whoosh indexes, one per server: Whoosh on either database."""
    return {**app_config, "SEARCH_ENGINE": "whoosh"}


def second_server(app, tmp_path):
    """Another app on the same database with its own index directory (another server)."""
    other = make_test_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        tmp_path / "server-b",
        SEARCH_ENGINE="whoosh",
        SEARCH_INDEX_NAME="server-b",
        SEARCH_INDEX_DIR=str(tmp_path / "server-b" / "index"),
    )
    with other.app_context():
        search.rebuild()
    return other


def rename(app, slug: str, title: str) -> None:
    with app.app_context(), transaction():  # the committing server applies it to its index
        db.session.scalar(sa.select(Page).where(Page.slug == slug)).title = title


def titles(app, text: str) -> list[str]:
    with app.app_context():
        return [hit.title for hit in search.search(text).results]


def committed_unapplied(app, slug: str) -> None:
    """A save's commit whose applier has not run yet (or another server's commit)."""
    with app.app_context():
        db.session.scalar(sa.select(Page).where(Page.slug == slug)).title = f"Ny {slug}"
        db.session.commit()
        db.session.info.pop("search_pending", None)


def hold_the_first_write(monkeypatch, longest: float):
    """The first applier to write stops inside its index write until ``go_on`` is set (or
    ``longest`` seconds pass); the documents of each write are kept in ``batches``."""
    batches: list[set[str]] = []
    writing, go_on = threading.Event(), threading.Event()
    real = WhooshEngine.apply

    def held(self, doc_ids, load):
        batches.append(set(doc_ids))
        if len(batches) == 1:
            writing.set()
            go_on.wait(longest)
        return real(self, doc_ids, load)

    monkeypatch.setattr(WhooshEngine, "apply", held)
    return batches, writing, go_on


def apply_in(app) -> int:
    with app.app_context():
        return indexing.apply_pending()


def outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox))


def test_a_change_through_one_server_is_found_through_the_other(indexed, tmp_path, monkeypatch):
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    monkeypatch.setattr(indexing, "_last_catch_up", 0.0)
    rename(app_a, "jobplan", "Kvartalsplan for jobcentret")
    assert outbox(app_a) == 1  # B has not applied it: it stays
    monkeypatch.setattr(indexing, "_last_catch_up", 0.0)  # (a second has passed)
    assert "Kvartalsplan for jobcentret" in titles(app_b, "kvartalsplan")
    assert outbox(app_a) == 0  # both have applied it: gone


def test_a_lagging_index_loses_nothing_and_holds_rows_back(indexed, tmp_path):
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    for n in range(3):
        rename(app_a, "jobplan", f"Jobplan runde {n}")
    rename(app_a, "matchgrupper", "Matchgrupper ny titel")
    assert outbox(app_a) == 4
    with app_b.app_context():
        assert indexing.pending() == 4
        assert indexing.apply_pending(limit=2) == 2  # B catches up a little
    assert outbox(app_a) == 2
    with app_b.app_context():
        indexing.apply_pending()
        assert search.check().ok
    assert outbox(app_a) == 0
    assert titles(app_b, "runde 2")[0] == "Jobplan runde 2"


def test_a_forgotten_index_stops_holding_rows_back_and_rebuilds(indexed, tmp_path):
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    with app_a.app_context(), transaction():
        db.session.execute(
            sa.update(SearchIndexState)
            .where(SearchIndexState.name == "server-b")
            .values(seen_at=utcnow() - timedelta(days=8))
        )
    rename(app_a, "jobplan", "Glemt server")
    assert outbox(app_a) == 0  # B no longer counts
    with app_b.app_context():
        indexing.apply_pending()  # B returns: rebuilt, so it has the change anyway
        assert search.check().ok
    assert titles(app_b, "glemt server")[0] == "Glemt server"


def test_an_index_that_is_gone_can_be_forgotten_at_once(indexed, tmp_path, monkeypatch):
    """A server taken down (or a test's) held every change back for 7 days: the operator
    lists the indexes and forgets it; should it return, it rebuilds as a forgotten one does."""
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    rename(app_a, "jobplan", "Venter på B")
    assert outbox(app_a) == 1
    runner = app_a.test_cli_runner()
    listed = runner.invoke(args=["portal", "search", "indexes"])
    assert listed.exit_code == 0, listed.output
    assert "server-b" in listed.output and "1 ændring mangler" in listed.output
    with app_a.app_context():
        own_name = indexing.consumers.index_name()
    own = runner.invoke(args=["portal", "search", "forget", own_name])
    assert own.exit_code == 1 and "denne servers eget" in own.output
    unknown = runner.invoke(args=["portal", "search", "forget", "server-x"])
    assert unknown.exit_code == 1 and "Intet søgeindeks hedder" in unknown.output
    forgot = runner.invoke(args=["portal", "search", "forget", "server-b"])
    assert forgot.exit_code == 0, forgot.output
    assert outbox(app_a) == 0  # no longer held back
    rename(app_a, "matchgrupper", "Mens B var glemt")
    assert outbox(app_a) == 0  # B holds nothing back: the row went at once
    # B was running after all: its next search finds it was forgotten and rebuilds.
    with app_b.app_context():
        assert app_b.test_client().get("/readyz").get_json()["search_current"] is False
    monkeypatch.setattr(indexing, "_last_catch_up", 0.0)
    assert titles(app_b, "mens b var glemt")[0] == "Mens B var glemt"
    assert titles(app_b, "venter på b")[0] == "Venter på B"
    with app_b.app_context():
        assert search.check().ok


def test_a_running_index_is_seen_though_nothing_changes(indexed, tmp_path, monkeypatch):
    """An index marks itself seen when it applies changes; in a quiet week its searches mark
    it too (once a day at most), or every running server was "forgotten" after 7 days and the
    next change went unseen by all but the server that made it."""
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    with app_a.app_context(), transaction():
        db.session.execute(sa.update(SearchIndexState).values(seen_at=utcnow() - timedelta(days=2)))
    monkeypatch.setattr(indexing, "_last_catch_up", 0.0)
    titles(app_b, "jobplan")  # a search on B, nothing to apply
    with app_a.app_context():
        seen = db.session.scalar(
            sa.select(SearchIndexState.seen_at).where(SearchIndexState.name == "server-b")
        )
    assert seen > utcnow() - timedelta(minutes=1)


def test_readyz_says_whether_this_servers_index_is_current(indexed, tmp_path):
    app_a, app_b = indexed, second_server(indexed, tmp_path)
    rename(app_a, "jobplan", "Endnu ikke hos B")
    ready = app_b.test_client().get("/readyz").get_json()
    assert (ready["search_current"], ready["search_pending"]) == (False, 1)
    assert app_a.test_client().get("/readyz").get_json()["search_current"] is True


def test_one_indexs_appliers_take_turns_and_write_each_change_once(indexed, monkeypatch):
    """Saves in several threads or processes apply the outbox at once: the one that waited
    finds what the one before applied, and writes what came meanwhile in one commit."""
    batches, writing, go_on = hold_the_first_write(monkeypatch, longest=10)

    with ThreadPoolExecutor(3) as pool:
        committed_unapplied(indexed, "jobplan")
        first = pool.submit(apply_in, indexed)
        assert writing.wait(10)
        committed_unapplied(indexed, "samtykke")
        committed_unapplied(indexed, "matchgrupper")
        waiting = [pool.submit(apply_in, indexed), pool.submit(apply_in, indexed)]
        time.sleep(0.3)  # each would have read the outbox by now, were it not waiting
        go_on.set()
        applied = sorted(f.result(timeout=30) for f in (first, *waiting))
    assert applied == [0, 1, 2]
    assert [len(batch) for batch in batches] == [1, 2] and not batches[0] & batches[1]
    with indexed.app_context():
        assert search.check().ok
    assert outbox(indexed) == 0


def test_a_search_does_not_wait_for_an_applier_at_work(indexed, monkeypatch):
    """A search first applies what waits in the outbox, but not while an applier of its index
    is writing: it answers from the index as it is, and a later search finds the change."""
    indexed.config["SEARCH_WRITER_TIMEOUT"] = 30.0
    _, writing, go_on = hold_the_first_write(monkeypatch, longest=5)  # then it goes on

    with ThreadPoolExecutor(1) as pool:
        committed_unapplied(indexed, "jobplan")
        first = pool.submit(apply_in, indexed)
        assert writing.wait(10)
        committed_unapplied(indexed, "samtykke")
        monkeypatch.setattr(indexing, "_last_catch_up", 0.0)
        found = titles(indexed, "samtykke")
        answered_while_writing = not first.done()
        go_on.set()
        assert first.result(timeout=30) == 1
    assert answered_while_writing
    assert "Ny samtykke" not in found  # not applied yet
    monkeypatch.setattr(indexing, "_last_catch_up", 0.0)  # (a second has passed)
    assert "Ny samtykke" in titles(indexed, "samtykke")
