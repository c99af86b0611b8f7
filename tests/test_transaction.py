"""The one transaction boundary: a request commits once after its view returned below 400, or
leaves the database exactly as it was; indexing and analytics run outside its transaction."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import abort, render_template_string
from sqlalchemy import event
from whoosh.index import open_dir

from portal import signals, transaction
from portal.errors import ValidationError
from portal.extensions import db
from portal.kb.sync import sync_content
from portal.news import services as news
from portal.news.models import NewsItem
from portal.search import indexing
from portal.search.models import SearchLog, SearchOutbox


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def items(app):
    """Two published news items, indexed; test-only routes that change both and then end in
    each of the ways a request can end."""
    with app.app_context():
        ids = []
        for title in ("Første struds", "Anden struds"):
            item = news.create(news.NewsData(title=title), None)
            news.publish(item, None)
            ids.append(item.id)
        db.session.commit()
        indexing.rebuild()

    @app.post("/_test/<how>")
    def change_then(how: str):
        app.extensions["test_request_session"] = db.session()
        first, second = (db.session.get(NewsItem, i) for i in ids)
        first.title = "Halvfærdig struds"
        db.session.flush()  # the first change and its search outbox row reach the database
        second.title = "Også halvfærdig"
        if how == "refuse":
            raise ValidationError("Afvist af en regel.")
        if how == "crash":
            raise RuntimeError("en programfejl efter flush")
        if how == "abort":
            abort(403)
        if how == "form":
            return render_template_string("<p>Tjek felterne.</p>"), 400
        return "gemt"

    return ids


def titles(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(NewsItem.title)))


def outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(SearchOutbox.id))) or 0


def found(client, words: str) -> list[str]:
    response = client.get("/api/search", query_string={"q": words})
    return [r["title"] for r in response.get_json()["results"]]


@pytest.mark.parametrize(
    ("how", "status"), [("refuse", 400), ("crash", 500), ("abort", 403), ("form", 400)]
)
def test_a_refused_request_leaves_the_database_as_it_was(app, client, items, how, status):
    before = titles(app)
    response = client.post(f"/_test/{how}")
    assert response.status_code == status
    assert titles(app) == before  # neither the flushed change nor the later one
    assert outbox(app) == 0  # nor the search outbox row the flush wrote
    assert found(client, "halvfærdig") == []


def test_a_request_that_succeeds_commits_once_and_is_searchable_when_it_returns(app, client, items):
    assert client.post("/_test/ok").status_code == 200
    assert titles(app) == ["Halvfærdig struds", "Også halvfærdig"]
    assert outbox(app) == 0  # applied after the commit, and exactly those rows deleted
    assert sorted(found(client, "halvfærdig")) == ["Halvfærdig struds", "Også halvfærdig"]


def test_indexing_runs_in_its_own_session_after_the_commit(app, client, items, monkeypatch):
    seen = {}
    real = indexing.apply_pending

    def spy(*args, **kwargs):
        request_session = app.extensions["test_request_session"]
        seen["separate"] = db.session() is not request_session
        seen["request_transaction_open"] = request_session.in_transaction()
        return real(*args, **kwargs)

    monkeypatch.setattr(indexing, "apply_pending", spy)
    assert client.post("/_test/ok").status_code == 200
    assert seen == {"separate": True, "request_transaction_open": False}


def test_after_commit_work_runs_only_when_a_transaction_announced_some(app, client, items):
    """A read-only request (a page view, its visit count) leaves nothing for the indexer or the
    mail sender: no ``committed`` signal, so no app context opened for it on every view."""
    sent = []

    def receiver(sender, session):
        sent.append(sender)

    signals.committed.connect(receiver, app)
    try:
        assert client.get("/nyheder/").status_code == 200
        assert sent == []
        assert client.post("/_test/ok").status_code == 200
        assert sent  # the indexer's work announced
    finally:
        signals.committed.disconnect(receiver, app)


def test_cli_unit_of_work_rolls_back_on_a_domain_error(app, items, runner):
    import click

    from portal.cli import unit_of_work

    with app.app_context(), pytest.raises(click.ClickException, match="Afvist"), unit_of_work():
        db.session.get(NewsItem, items[0]).title = "Fra kommandolinjen"
        db.session.flush()
        raise ValidationError("Afvist.")
    assert "Fra kommandolinjen" not in titles(app)
    assert outbox(app) == 0


class Statements:
    """The SQL statements a test client request runs, marked by phase: in the request's
    transaction, or after it (``transaction._run_after_response``)."""

    def __init__(self, app, monkeypatch):
        self.log: list[tuple[str, str]] = []
        self.phase = "request"
        real = transaction._run_after_response

        def after():
            self.phase = "after"
            try:
                real()
            finally:
                self.phase = "request"

        monkeypatch.setattr(transaction, "_run_after_response", after)
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.log.append((self.phase, statement.lstrip().split(None, 1)[0].upper()))

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def writes(self, phase: str) -> list[str]:
        return [v for p, v in self.log if p == phase and v in {"INSERT", "UPDATE", "DELETE"}]

    def selects(self) -> int:
        return sum(1 for _, v in self.log if v == "SELECT")


@pytest.fixture
def statements(app, monkeypatch):
    recorder = Statements(app, monkeypatch)
    yield recorder
    recorder.close()


@pytest.fixture
def guides(app):
    with app.app_context():
        sync_content()
        db.session.commit()


def test_a_guide_view_writes_nothing_in_the_request_transaction(app, client, guides, statements):
    response = client.get("/vejviser/groen-linie")
    assert response.status_code == 200
    assert statements.writes("request") == []
    assert statements.writes("after") == ["INSERT"]  # the visit count, in its own transaction


def test_a_search_writes_its_log_only_after_the_request(app, client, guides, statements):
    with app.app_context():
        indexing.rebuild()
    statements.log.clear()
    assert client.get("/soeg", query_string={"q": "jobplan"}).status_code == 200
    assert statements.writes("request") == []
    assert statements.writes("after") == ["INSERT"]
    with app.app_context():
        assert db.session.scalar(sa.select(SearchLog.query)) == "jobplan"


def test_searches_are_logged_in_memory_and_written_when_due(app, client, guides, statements):
    """A search writes nothing, neither in its request nor after it; the process's log reaches
    the database in one transaction once it is due, every search in it (the same query
    twice is two rows: the statistics count them)."""
    from portal.search import querylog

    with app.app_context():
        indexing.rebuild()
    app.extensions[querylog.LOG].every = 3600  # as in production, not at once as in tests
    statements.log.clear()
    totals = {}
    for text in ("handleplan", "grøn linie", "handleplan"):
        totals[text] = client.get("/api/search", query_string={"q": text}).get_json()["total"]
    assert statements.writes("request") == [] and statements.writes("after") == []
    app.extensions[querylog.LOG].every = 0  # due now: the next search writes all of them
    client.get("/soeg", query_string={"q": "bostøtte"})
    assert statements.writes("after") == ["INSERT"]  # one transaction, one batch
    with app.app_context():
        logged = db.session.execute(sa.select(SearchLog.query, SearchLog.results)).all()
    assert sorted(q for q, _ in logged) == ["bostøtte", "grøn linie", "handleplan", "handleplan"]
    assert {q: n for q, n in logged if q in totals} == totals and totals["grøn linie"] > 0


def test_a_failing_visit_count_does_not_break_the_page(app, client, guides, caplog, monkeypatch):
    """The counts are written after the response (at once in tests): a failing write is logged
    and the page is shown."""
    from portal.editor import visits

    def broken(_visits):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disken er fuld"))

    monkeypatch.setattr(visits.counter(app), "writer", broken)
    with caplog.at_level(logging.WARNING, logger="portal.transaction"):
        response = client.get("/vejviser/groen-linie")
    assert response.status_code == 200 and "Grøn linie" in response.get_data(as_text=True)
    assert "After-response work" in caplog.text


def test_directory_query_count_does_not_grow_with_the_number_of_cards(app, client, statements):
    from portal.contacts import invitations as contacts
    from portal.contacts import units

    def add(count: int, start: int) -> None:
        with app.app_context():
            units.ensure("SOF", "Rådgivningscenter København", "Team A")  # the editors' lists
            for n in range(start, start + count):
                data = {
                    "name": f"Demo Person {n}",
                    "email": f"p{n}@example.com",
                    "administration": "SOF",
                    "centre": "Rådgivningscenter København",
                    "team": "Team A",
                    "phone": "30123456",
                    "areas": ["misbrug", f"område {n}"],
                }
                contacts.create_contact(data, actor=None)
            db.session.commit()

    add(2, 0)
    statements.log.clear()
    assert client.get("/kontaktpersoner/").status_code == 200
    few = statements.selects()
    add(15, 2)
    statements.log.clear()
    page = client.get("/kontaktpersoner/").get_data(as_text=True)
    assert "Demo Person 16" in page and "område 16" in page
    assert statements.selects() == few


def test_search_sync_with_the_writer_lock_held_says_so_and_keeps_the_changes(
    whoosh, app, items, runner, caplog
):
    with app.app_context():
        db.session.get(NewsItem, items[0]).title = "Ventende struds"
        db.session.commit()  # a test stands for another process: the change waits
        db.session.info.pop("search_pending", None)
    writer = open_dir(app.config["SEARCH_INDEX_DIR"]).writer()  # another process's writer
    try:
        with app.app_context():
            app.config["SEARCH_WRITER_TIMEOUT"] = 0.2
        with caplog.at_level(logging.WARNING, logger="portal.search.indexing"):
            result = runner.invoke(args=["portal", "search", "sync"])
    finally:
        writer.cancel()
    assert result.exit_code == 1, result.output
    assert "1 ændringer venter stadig" in result.output
    assert "Search index is locked; 1 changes wait for the next writer" in caplog.text
    assert outbox(app) == 1
    assert "0 ændringer venter" not in runner.invoke(args=["portal", "search", "sync"]).output
    assert outbox(app) == 0


def test_readyz_reports_an_unreadable_search_index(whoosh, app, client, items, monkeypatch):
    """503 while the rebuild it starts runs (in a server's thread: here it never ends)."""
    from portal.search import indexing

    started = []
    monkeypatch.setattr(indexing, "rebuild_soon", started.append)
    assert client.get("/readyz").get_json()["search"] == "ok"
    app.config["SEARCH_INDEX_DIR"] = str(app.instance_path) + "/findes-ikke"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["search"] == "unavailable"
    assert started == [app]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/vejviser/",
        "/sagsgange/",
        "/sagsgange/samarbejdsmodellen",
        "/ordliste",
        "/kalender/",
        "/nyheder/",
        "/nyheder.atom",
        "/kontaktpersoner/",
        "/api/suggest?q=jo",
    ],
)
def test_no_page_writes_in_its_request_transaction(app, client, guides, statements, path):
    with app.app_context():  # a scheduled news item has fallen due: still nothing is written
        item = news.create(news.NewsData(title="Planlagt struds"), None)
        news.publish(item, None)
        item.announced = False
        db.session.commit()
    statements.log.clear()
    assert client.get(path).status_code == 200
    assert statements.writes("request") == []


def test_the_indexer_leaves_sqlite_free_for_other_writers_while_it_writes_the_index(
    whoosh, app, client, items, monkeypatch
):
    """After a commit the indexer reads the changed documents and writes them into the Whoosh
    index under the index's writer lock. It reads them without taking SQLite's write lock:
    holding it through the index's commit (and through the wait for the index's lock) made
    every other save wait, seconds each when several people edited at once."""
    import sqlite3

    from portal.search import index

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("SQLite's write lock")
    seen = []
    real = index.write

    def write(directory, changes, timeout, **options):
        def read_then_try():
            yield from changes  # the documents, read with the index's writer lock held
            other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")  # another save's transaction
                other.execute("ROLLBACK")
                seen.append("free")
            except sqlite3.OperationalError as exc:
                seen.append(str(exc))
            finally:
                other.close()

        return real(directory, read_then_try(), timeout, **options)

    monkeypatch.setattr(index, "write", write)
    assert client.post("/_test/ok").status_code == 200
    assert seen == ["free"]
    assert sorted(found(client, "halvfærdig")) == ["Halvfærdig struds", "Også halvfærdig"]
    assert outbox(app) == 0
