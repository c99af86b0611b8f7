"""The cache of rendered guides and procedures for anonymous readers (issue 17,
``portal/page_cache.py``): a kept page costs one query, an edit shows on the next view (also
through another process), each reader sees their own page, and nothing unpublished, previewed
or personal reaches the cache."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal import page_cache
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
    return {"VISIT_FLUSH_SECONDS": 3600}


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


def test_a_kept_page_costs_one_query_and_is_the_same_page(app, reader, statements):
    first = reader.get(URL)
    version_reader = app.extensions[page_cache.READER]  # PostgreSQL: its own connections
    read: list[str] = []
    if version_reader is not None:
        sa.event.listen(
            version_reader.engine, "before_cursor_execute", lambda *a: read.append(a[2])
        )
    with statements() as sent:
        second = reader.get(URL)
    assert second.get_data() == first.get_data()
    every = sent + read
    assert [s for s in every if not s.startswith("BEGIN")] == [
        s for s in every if "content_version" in s
    ]
    assert len(every) <= 2, every  # BEGIN (SQLite) and the version
    assert version_reader is None or (sent == [] and len(read) == 1)


def test_the_version_reader_replaces_a_connection_the_server_dropped(app, reader, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite reads the version in the request's transaction")
    first = reader.get(URL)
    engine = app.extensions[page_cache.READER].engine
    with engine.connect() as connection:  # the pool's one connection, opened by the first view
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with app.app_context():
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
    second = reader.get(URL)
    assert second.status_code == 200 and second.get_data() == first.get_data()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT pg_backend_pid()").scalar() != pid


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


def test_an_edit_through_another_process_shows_on_the_next_view(
    app, reader, database_url, tmp_path, make_user, content, statements
):
    """A second app stands for another gunicorn worker or server: its own cache, the same
    database. The first keeps the page (one query), the second saves an edit."""
    reader.get(URL)
    with statements() as sent:
        reader.get(URL)
    assert len(sent) <= 2  # kept in the first process
    other = make_test_app(database_url, tmp_path / "other", VISIT_FLUSH_SECONDS=3600)
    make_user("editor", email="red@example.com", name="Rikke Redaktør")
    editor = other.test_client()
    token = csrf_token(editor, "/login")
    login = {"email": "red@example.com", "password": PASSWORD, "csrf_token": token}
    assert editor.post("/login", data=login).status_code == 302
    edit(editor, body="Tekst gemt gennem den anden proces.")
    assert "gemt gennem den anden proces" in reader.get(URL).get_data(as_text=True)


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
