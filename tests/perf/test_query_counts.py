"""N+1 guards (issue 17): a page sends as many queries with many items as with few, and its GET
writes nothing. A page whose query count grows with its items fails here; the statements are in
the message."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.editor import visits
from portal.editor.models import PageVisit, Shortcut
from portal.extensions import db
from portal.kb.content import GLOSSARY_SLUG
from portal.kb.models import Page
from portal.kb.sync import sync_content
from portal.timeutil import local_today
from tests.calendar.conftest import soon

# Visit counts are written once a minute in production; a test that wants them sooner says so.
# The cache of rendered pages is off: these guards count what rendering a page costs (a kept
# page sends nothing through the session: tests/perf/test_page_cache.py).
FLUSH_LATER = {"STATS_FLUSH_SECONDS": 3600, "PAGE_CACHE": False}
# Queries a guide or procedure page may send, however many steps, tags, related pages and
# contact persons it has: the page, its related pages, the latest revision, the steps, the
# tags, the seven-step model's steps (a procedure that follows it), and (with named contacts)
# one query each for people, teams and centres, plus BEGIN.
PAGE_BUDGET = 10


@pytest.fixture
def app_config():
    return FLUSH_LATER


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()


def sent_by(client, statements, path: str) -> list[str]:
    client.get(path)  # warm: first-request work (a missing search index) is not counted
    with statements() as sent:
        response = client.get(path)
    assert response.status_code == 200, path
    assert not sent.writes, f"GET {path} wrote: {sent.writes}"
    return list(sent)


def assert_same(before: list[str], after: list[str], path: str) -> None:
    assert len(after) == len(before), (
        f"{path}: {len(before)} queries before, {len(after)} with more items:\n"
        + "\n".join(s[:160] for s in after)
    )


def test_front_page(client, statements, content, make_news, make_event):
    make_news("Første nyhed")
    make_event()
    before = sent_by(client, statements, "/")
    for n in range(5):
        make_news(f"Nyhed nummer {n}", pinned_until=local_today() + timedelta(days=3))
        make_event(title=f"Møde {n}", day=soon(10 + n), frequency="WEEKLY" if n % 2 else "")
    assert_same(before, sent_by(client, statements, "/"), "/")


def test_front_page_shortcuts_and_most_visited(app, client, statements, content):
    """The fallback (most visited) and the editors' choice load their pages in one query."""
    with app.app_context():
        pages = [(p.id, p.kind, p.slug) for p in db.session.scalars(sa.select(Page).limit(6))]

    def visit(chosen):
        with app.app_context():
            for n, (_, kind, slug) in enumerate(chosen):
                db.session.add(PageVisit(day=local_today(), kind=kind, slug=slug, count=n + 1))
            db.session.commit()

    def choose(chosen, first):
        with app.app_context():
            for n, (page_id, _, _) in enumerate(chosen):
                db.session.add(Shortcut(page_id=page_id, position=first + n))
            db.session.commit()

    visit(pages[:1])
    one = sent_by(client, statements, "/")
    visit(pages[1:])
    assert_same(one, sent_by(client, statements, "/"), "/ (most visited)")
    choose(pages[:1], 1)
    one = sent_by(client, statements, "/")
    choose(pages[1:], 2)
    assert_same(one, sent_by(client, statements, "/"), "/ (shortcuts)")


@pytest.mark.parametrize("kind, section", [("guide", "vejviser"), ("procedure", "sagsgange")])
def test_every_guide_and_procedure_within_budget(app, client, statements, content, kind, section):
    """Every page of the real content, the longest procedures with many steps and contact
    persons among them, sends at most PAGE_BUDGET queries."""
    with app.app_context():
        pages = db.session.scalars(
            sa.select(Page).where(
                Page.kind == kind, Page.published.is_(True), Page.slug != GLOSSARY_SLUG
            )
        ).all()
        slugs = {p.slug: len(p.steps) + len(p.tags) + len(p.related_slugs or []) for p in pages}
    assert max(slugs.values()) >= 8  # the guard means something: some pages have many parts
    for slug in slugs:
        path = f"/{section}/{slug}"
        sent = sent_by(client, statements, path)
        assert len(sent) <= PAGE_BUDGET, f"{path}: {len(sent)} queries:\n" + "\n".join(
            s[:160] for s in sent
        )


def test_directory(client, statements, make_contact):
    make_contact("Anna Andersen")
    make_contact("Bo Berg", administration="BIF", centre="Jobcenter København", team="Team B")
    before = sent_by(client, statements, "/kontaktpersoner/")
    for n in range(6):
        make_contact(
            f"Person {n}",
            administration=("BIF", "SOF")[n % 2],
            centre=f"Center {n}",
            team=f"Team {n}",
            areas=["misbrug", f"område {n}"],
        )
    assert_same(before, sent_by(client, statements, "/kontaktpersoner/"), "/kontaktpersoner/")


def test_calendar(client, statements, make_event):
    make_event()
    before = sent_by(client, statements, "/kalender/")
    for n in range(6):
        make_event(
            title=f"Møde {n}",
            day=soon(5 + n),
            start=time(9 + n),
            end=time(10 + n),
            capacity=10 if n % 2 else None,
            frequency="WEEKLY" if n % 3 == 0 else "",
        )
    assert_same(before, sent_by(client, statements, "/kalender/"), "/kalender/")


def test_news(client, statements, make_news):
    make_news("Første nyhed")
    make_news("Anden nyhed", pass_on=True)
    before = sent_by(client, statements, "/nyheder/")
    for n in range(8):
        make_news(f"Nyhed {n}", pass_on=bool(n % 2), administration=("BIF", "SOF", "both")[n % 3])
    assert_same(before, sent_by(client, statements, "/nyheder/"), "/nyheder/")


def test_visits_are_counted_in_memory_and_written_when_due(app, client, content):
    """A page view writes nothing itself; the process's counts reach the database in one
    write once they are due, and views by other requests in between are not lost."""
    for _ in range(3):
        client.get("/sagsgange/samarbejdsmodellen")
    client.get("/vejviser/groen-linie")
    with app.app_context():
        assert db.session.scalars(sa.select(PageVisit)).all() == []
    visits.counter(app).every = 0  # due now: the next view writes all of them
    client.get("/vejviser/groen-linie")
    with app.app_context():
        counts = {(v.kind, v.slug): v.count for v in db.session.scalars(sa.select(PageVisit))}
    assert counts == {("procedure", "samarbejdsmodellen"): 3, ("guide", "groen-linie"): 2}


@pytest.mark.parametrize("path", ["/", "/vejviser/groen-linie", "/kontaktpersoner/"])
def test_a_logged_in_page_reads_the_user_once(client, statements, content, make_user, auth, path):
    """The user is loaded once per request; the commit of a transaction that only read does not
    expire it, so the security headers after the commit send no second query."""
    auth.login(make_user("editor").email)
    sent = sent_by(client, statements, path)
    assert sum('FROM "user"' in s or "FROM user " in s for s in sent) == 1, sent
    # SQLite's BEGIN is a statement of its own: one transaction, not a second after the commit.
    assert sum(s.lstrip().upper().startswith("BEGIN") for s in sent) <= 1, sent


def test_a_write_still_expires_what_it_changed(app):
    """After a transaction that wrote, objects are read again (another process may have
    changed them too); after one that only read, they are kept."""
    from portal.auth import services as auth_services
    from portal.transaction import transaction

    with app.test_request_context("/", method="POST"), transaction():
        created = auth_services.create_user("a@example.com", "Anna", "staff", "korrekt-hest-bat")
        model, user_id = type(created), created.id
    with app.test_request_context("/", method="POST"):
        user = db.session.get_one(model, user_id)
        with transaction():
            user.name = "Anna Andersen"
        assert "name" not in user.__dict__  # expired: read again on next use
        assert user.name == "Anna Andersen"
        with transaction():
            assert user.name == "Anna Andersen"
        assert "name" in user.__dict__  # only read: kept
