"""The cache of rendered guides and procedures for anonymous readers (issue 17,
``portal/page_cache.py``): a kept page sends nothing through the session (SQLite reads the
version on its own connection, PostgreSQL is told: ``portal/content_watch.py``), an edit shows
on the next view (also through another process, on PostgreSQL a moment later), each reader
sees their own page, and nothing unpublished, previewed or personal reaches the cache."""

from __future__ import annotations

import os
import re
import time

import psycopg
import pytest
import sqlalchemy as sa

from portal import content_watch, page_cache
from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from portal.kb.sync import sync_content
from tests.conftest import PASSWORD, csrf_token, make_test_app
from tests.kb.editing_helpers import form_data, page, soup

PROCEDURE = "borger-henvender-sig-til-sof-efter-sanktion"
URL = f"/sagsgange/{PROCEDURE}"
EDIT = f"{URL}/rediger"


@pytest.fixture
def app_config():
    return {"STATS_FLUSH_SECONDS": 3600}


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()


@pytest.fixture
def reader(app, content):
    """An anonymous reader's browser, apart from the editor's."""
    return app.test_client()


@pytest.fixture
def editor(content, auth, make_user):
    make_user("editor", email="red@example.com", name="Rikke Redaktør")
    auth.login("red@example.com")


def edit(client, **changes: str) -> None:
    response = client.post(EDIT, data=form_data(client.get(EDIT)) | changes)
    assert response.status_code == 302


def version(app) -> int:
    with app.app_context():
        return page_cache.current_version()


def until(condition, seconds: float = 15) -> bool:
    """Wait for what another thread does (the listener's connection, a notification)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return bool(condition())


def listening(app) -> content_watch.VersionWatch | content_watch.FileReader | None:
    """How the app learns the version, once it has it (SQLite's reader, PostgreSQL's
    listener)."""
    watch = app.extensions[page_cache.WATCH]
    assert watch is None or until(lambda: watch.current() is not None)
    return watch


def listeners() -> set[int]:
    """The server's processes for the content version's listeners (any app's)."""
    with psycopg.connect(os.environ["PORTAL_TEST_POSTGRES_URL"], autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            (content_watch.APPLICATION,),
        ).fetchall()
    return {pid for (pid,) in rows}


def drop_listeners() -> None:
    with psycopg.connect(os.environ["PORTAL_TEST_POSTGRES_URL"], autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (content_watch.APPLICATION,),
        )


def test_a_kept_page_sends_nothing_through_the_session_and_is_the_same_page(
    app, reader, statements
):
    """SQLite reads the version on the thread's own connection (one statement there);
    PostgreSQL's listener knows it (none)."""
    first = reader.get(URL)
    source = listening(app)
    read: list[str] = []
    if isinstance(source, content_watch.FileReader):  # the test client's thread is the view's
        source._local.connection.set_trace_callback(read.append)
    with statements() as sent:
        second = reader.get(URL)
    assert second.get_data() == first.get_data()
    assert sent == []
    if isinstance(source, content_watch.FileReader):
        assert len(read) == 1 and "content_version" in read[0]
    else:
        assert isinstance(source, content_watch.VersionWatch)


def other_process(database_url, tmp_path, make_user):
    """A second app stands for another gunicorn worker or server: its own cache and listener,
    the same database. Returns its client, signed in as an editor."""
    other = make_test_app(database_url, tmp_path / "other", STATS_FLUSH_SECONDS=3600)
    make_user("editor", email="red@example.com", name="Rikke Redaktør")
    editor = other.test_client()
    token = csrf_token(editor, "/login")
    login = {"email": "red@example.com", "password": PASSWORD, "csrf_token": token}
    assert editor.post("/login", data=login).status_code == 302
    return editor


def test_while_the_listener_is_away_a_view_reads_the_version_itself(
    app, reader, database_url, tmp_path, make_user, statements
):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite reads the version on every view")
    reader.get(URL)
    watch = listening(app)
    assert watch is not None
    watch.retry = 60  # stays away while the test edits
    drop_listeners()
    assert until(lambda: watch.version is None)
    edit(other_process(database_url, tmp_path, make_user), body="Gemt mens ingen lyttede.")
    with statements() as sent:
        assert "Gemt mens ingen lyttede" in reader.get(URL).get_data(as_text=True)
    assert any("content_version" in s for s in sent)
    watch.stop()  # as when the engine is disposed: the next view listens again
    reader.get(URL)
    assert listening(app) is watch


def test_the_listener_connects_again_after_the_server_dropped_it(app, reader, database_url, caplog):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    reader.get(URL)
    listening(app)
    before = listeners()
    drop_listeners()
    assert until(lambda: listeners() - before != set())
    listening(app)
    assert "Lost the content version's notifications" in caplog.text


def test_a_listener_stopped_on_purpose_does_not_warn_when_its_connection_goes(
    app, reader, database_url, caplog
):
    """Disposing of the engine stops the listener; a connection that then ends (a scratch
    database dropped, a server shut down) is no loss to warn about."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    reader.get(URL)
    watch = listening(app)
    assert watch is not None
    before = listeners()
    watch.stop()
    drop_listeners()
    assert until(lambda: not listeners() & before)
    time.sleep(2 * content_watch.WAKE)  # the thread has seen its connection end
    assert "Lost the content version's notifications" not in caplog.text


def test_a_view_from_the_cache_is_counted(app, reader):
    from portal.editor import visits

    reader.get(URL)
    reader.get(URL)
    with app.app_context():
        counts = visits.counter(app).take()
    assert sum(n for (_, _, slug), n in counts.items() if slug == PROCEDURE) == 2


def test_an_edit_shows_on_the_next_view(app, reader, client, editor):
    assert "Ny tekst i første trin" not in reader.get(URL).get_data(as_text=True)
    before = version(app)
    edit(client, **{"steps-0-text": "Ny tekst i første trin."})
    assert version(app) > before
    assert "Ny tekst i første trin" in reader.get(URL).get_data(as_text=True)


def test_an_edit_through_another_process_shows_on_the_following_views(
    app, reader, database_url, tmp_path, make_user, content, statements
):
    """The first process keeps the page; the second saves an edit. On SQLite the next view
    reads the new version; on PostgreSQL the commit's notification brings it (a moment later:
    the listener's thread has to receive it)."""
    editor = other_process(database_url, tmp_path, make_user)
    reader.get(URL)
    watch = listening(app)
    if watch is not None:
        watch.confirm = 3600  # only the notification can tell
    with statements() as sent:
        reader.get(URL)
    assert len(sent) <= 2  # kept in the first process
    edit(editor, body="Gemt gennem den anden proces.")

    def shown() -> bool:
        return "gennem den anden proces" in reader.get(URL).get_data(as_text=True)

    assert until(shown) if database_url.startswith("postgresql") else shown()


def test_an_unpublished_page_is_gone_at_once(app, reader, client, editor):
    assert reader.get(URL).status_code == 200
    token = csrf_token(client, f"{URL}/historik")
    data = {"csrf_token": token, "version": page(app, PROCEDURE).version}
    client.post(f"{URL}/afpublicer", data=data)
    assert reader.get(URL).status_code == 404
    assert reader.get(URL).status_code == 404


def test_a_preview_never_reaches_a_reader(reader, client, editor):
    data = form_data(client.get(EDIT)) | {"body": "Kladde som ikke er gemt."}
    assert "Kladde som ikke er gemt" in client.post(EDIT, data=data | {"forhaandsvis": "1"}).text
    assert "Kladde som ikke er gemt" not in reader.get(URL).get_data(as_text=True)
    assert "Kladde som ikke er gemt" not in client.get(URL).get_data(as_text=True)


def test_each_reader_sees_their_own_page(reader, client, editor):
    """The editor's page (name, edit links, CSRF tokens) is never kept, and the anonymous page
    that is kept is never given to the editor."""
    as_editor = client.get(URL).get_data(as_text=True)
    anonymous = reader.get(URL).get_data(as_text=True)
    assert "Rikke Redaktør" in as_editor and soup(client.get(URL)).select_one(".editor-links")
    again = reader.get(URL).get_data(as_text=True)
    assert again == anonymous
    for shown in (anonymous, again):
        assert "Rikke Redaktør" not in shown
        assert "editor-links" not in shown and "Ret siden" not in shown
        assert 'name="csrf_token"' not in shown
    tokens = set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', as_editor))
    assert tokens and not any(t in again for t in tokens)
    assert soup(client.get(URL)).select_one(".editor-links")  # still the editor's own page


def test_a_reader_with_a_session_is_rendered_for_them(app, reader, statements):
    """A session cookie may carry a flash message or a CSRF token: such a reader's page is
    rendered, and it is not kept for others."""
    reader.get(URL)  # kept
    with_session = app.test_client()
    csrf_token(with_session, "/login")  # the session now holds a CSRF token
    with statements() as sent:
        shown = with_session.get(URL).get_data(as_text=True)
    assert len(sent) > 2  # rendered: the page, its steps, tags, ...
    assert "Log ind" in shown
    with statements() as sent:
        kept = reader.get(URL).get_data(as_text=True)
    assert len(sent) <= 2 and 'name="csrf_token"' not in kept


def test_a_new_contact_person_becomes_a_link_on_the_next_view(
    app, reader, client, editor, make_contact
):
    edit(client, **{"steps-0-contact": "Hanne Holm"})
    steps = soup(reader.get(URL)).select(".lanes li")
    assert steps[0].find("a", string="Hanne Holm") is None
    profile_id = make_contact("Hanne Holm")
    steps = soup(reader.get(URL)).select(".lanes li")
    assert steps[0].find("a", string="Hanne Holm")["href"] == f"/kontaktpersoner/{profile_id}"


def test_a_profile_text_or_a_login_does_not_make_pages_old(app, content, make_contact):
    profile_id = make_contact("Hanne Holm")
    before = version(app)
    with app.app_context():
        profile = db.session.get(ContactProfile, profile_id)
        profile.about = "Ny tekst om mig."
        profile.user.last_login_at = utcnow()
        db.session.commit()
    assert version(app) == before
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.name == "Hanne Holm"))
        user.name = "Hanne Holm-Berg"
        db.session.commit()
    assert version(app) == before + 1


def test_a_bulk_update_makes_pages_old(app, content):
    from portal.kb.models import Page

    before = version(app)
    with app.app_context():
        db.session.execute(sa.update(Page).where(Page.slug == PROCEDURE).values(owner="X"))
        db.session.commit()
    assert version(app) == before + 1


def test_the_cache_can_be_turned_off(database_url, tmp_path, content):
    off = make_test_app(database_url, tmp_path / "off", PAGE_CACHE=False)
    reader = off.test_client()
    assert reader.get(URL).status_code == 200
    assert reader.get(URL).status_code == 200
    assert off.extensions[page_cache.EXTENSION].version is None


def test_searches_keep_the_glossarys_synonyms_until_the_glossary_changes(app, content, statements):
    """Every search reads the synonyms: kept per content version (``page_cache.remembered``),
    and a change to a glossary term alone (no page changed with it) is searched at once."""
    from portal.kb.models import GlossaryTerm
    from portal.search import services

    with app.test_request_context():
        before = services.synonym_groups()
        with statements() as sent:
            assert services.synonym_groups() == before
        assert not [s for s in sent if "glossary" in s.lower()]
        term = db.session.scalars(sa.select(GlossaryTerm).limit(1)).one()
        term.synonyms = [*term.synonyms, "kvadratrodsregning"]
        db.session.commit()
        assert any("kvadratrodsregning" in group for group in services.synonym_groups())


def test_sqlites_reader_gives_way_to_the_session_when_it_cannot_read(tmp_path):
    """Before the table exists, or after the engine closed its connections, the view reads the
    version through its session (None here); no connection is left open, and the next read
    opens a new one."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    reader = content_watch.FileReader(engine, "content_version", "content")
    assert reader.current() is None and reader._opened == []
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE content_version (area TEXT, version INTEGER)")
        connection.exec_driver_sql("INSERT INTO content_version VALUES ('content', 7)")
    assert reader.current() == 7 and len(reader._opened) == 1
    engine.dispose()
    assert reader._opened == []
    assert reader.current() is None  # its connection was closed with the engine
    assert reader.current() == 7
    reader.close()
