"""Editors handle reader feedback with a reply note (audited); others cannot. The reader sees
the reply; feedback is part of the person's data export and loses its author on erasure."""

import json

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.auth import services as auth_services
from portal.auth.models import User
from portal.contacts import invitations, privacy
from portal.contacts.models import ContactProfile
from portal.extensions import db
from portal.kb import feedback
from portal.kb.models import Page
from portal.privacy import REFUSED
from tests.conftest import PASSWORD, csrf_token
from tests.kb.feedback_helpers import GUIDE, handle, leave, rows


@pytest.fixture
def reader_feedback(app, client, auth, make_user, synced):
    """Lise (staff) said «nej» with a comment on the guide; then an editor logged in."""
    make_user("staff", email="laeser@example.com", name="Lise Læser")
    auth.login("laeser@example.com")
    assert leave(client, GUIDE, "nej", "Telefonnummeret er forkert.").status_code == 302
    auth.logout()
    make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")
    return rows(app)[0]["id"]


def test_an_editor_handles_feedback_with_a_reply(app, client, auth, reader_feedback):
    response = handle(client, reader_feedback, "Rettet. Tak for hjælpen!")
    assert response.status_code == 302
    assert response.headers["Location"] == "/redaktion/tilbagemeldinger/groen-linie"
    (item,) = rows(app)
    assert item["handled"] and item["reply"] == "Rettet. Tak for hjælpen!"
    with app.app_context():
        editor = db.session.scalar(sa.select(User).where(User.email == "red@example.com"))
        assert item["handled_by_id"] == editor.id
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.object_type == "page_feedback")
        )
        assert (entry.actor_id, entry.actor, entry.action, entry.object_id) == (
            editor.id,
            "red@example.com",
            "handle",
            str(item["id"]),
        )
        assert entry.new_value == "Rettet. Tak for hjælpen!"
    # Handled items stay visible, in the "behandlet" list, with who, when and the note.
    html = BeautifulSoup(
        client.get("/redaktion/tilbagemeldinger/groen-linie").get_data(as_text=True),
        "html.parser",
    )
    assert "Ingen åbne tilbagemeldinger." in html.select_one("[aria-labelledby=aabne]").get_text()
    handled = html.select_one("[aria-labelledby=behandlet]").get_text(" ", strip=True)
    assert "Behandlet (1)" in handled
    assert "Telefonnummeret er forkert." in handled
    assert "Behandlet af Rita Redaktør" in handled
    assert "Rettet. Tak for hjælpen!" in handled
    assert "Tilbagemeldinger fra læsere (0)" in client.get("/redaktion").get_data(as_text=True)

    # The reader sees the reply; a new answer then starts a new item.
    auth.logout()
    auth.login("laeser@example.com")
    page = BeautifulSoup(client.get(GUIDE).get_data(as_text=True), "html.parser")
    status = page.select_one("#tilbagemelding .feedback-status").get_text(" ", strip=True)
    assert "Redaktionen har behandlet din tilbagemelding" in status
    assert "Rettet. Tak for hjælpen!" in status
    leave(client, GUIDE, "ja", "Nu er det rigtigt.")
    assert [(r["handled"], r["useful"]) for r in rows(app)] == [(True, False), (False, True)]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("", "Skriv et svar til den, der gav tilbagemeldingen."),
        ("Ring til 0101901234 og hør", REFUSED),
        ("x" * 2001, "Teksten er 2001 tegn. Den må højst være 2000 tegn."),
    ],
)
def test_a_bad_reply_is_refused_and_kept(app, client, reader_feedback, reply, message):
    response = handle(client, reader_feedback, reply)
    assert response.status_code == 400
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    error = html.select_one(f"#fb{reader_feedback}-reply-fejl")
    assert error.get_text(strip=True) == message
    assert html.select_one(f"#fb{reader_feedback}-reply").get_text().strip() == reply
    assert not rows(app)[0]["handled"]
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.object_type == "page_feedback")
            )
            == 0
        )


def test_handling_what_the_author_changed_meanwhile_is_refused(
    app, client, auth, make_user, reader_feedback
):
    """The editor's form carries the version they read: the author's new answer since then
    makes the handling a conflict, with the note kept, and the next try succeeds."""
    stale_version = str(rows(app)[0]["version"])
    with app.app_context():  # the author changes the answer meanwhile
        item = feedback.get_item(reader_feedback)
        author = db.session.get(User, item.user_id)
        feedback.leave(item.page, author, False, "Og adressen er også forkert.")
        db.session.commit()
    response = handle(client, reader_feedback, "Rettet.", version=stale_version)
    assert response.status_code == 409
    html = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "ændret af en anden" in html.select_one(".feedback-item .error-summary").get_text()
    assert html.select_one(f"#fb{reader_feedback}-reply").get_text().strip() == "Rettet."
    assert "Og adressen er også forkert." in html.select_one(".feedback-item").get_text()
    assert not rows(app)[0]["handled"]
    assert handle(client, reader_feedback, "Rettet begge.").status_code == 302


def test_feedback_already_handled_is_not_handled_again(app, client, reader_feedback):
    stale_version = str(rows(app)[0]["version"])
    assert handle(client, reader_feedback, "Første svar.").status_code == 302
    token = csrf_token(client, "/redaktion/tilbagemeldinger/groen-linie")
    prefix = f"fb{reader_feedback}"
    response = client.post(
        f"/redaktion/tilbagemeldinger/{reader_feedback}/behandl",
        data={
            f"{prefix}-csrf_token": token,
            f"{prefix}-reply": "Andet svar.",
            f"{prefix}-version": stale_version,
        },
    )
    assert response.status_code == 409
    assert "ændret af en anden" in response.get_data(as_text=True)
    assert rows(app)[0]["reply"] == "Første svar."


@pytest.mark.parametrize("role", ["staff", "contact", None])
def test_only_editors_handle_feedback(app, client, auth, make_user, reader_feedback, role):
    auth.logout()
    if role:
        make_user(role, email=f"{role}@example.com")
        auth.login(f"{role}@example.com")
    token = csrf_token(client, "/" if role else "/login")  # a valid token: access decides
    prefix = f"fb{reader_feedback}"
    for url, method in [
        (f"/redaktion/tilbagemeldinger/{reader_feedback}/behandl", "POST"),
        ("/redaktion/tilbagemeldinger/groen-linie", "GET"),
        ("/redaktion/tilbagemeldinger", "GET"),
    ]:
        data = {f"{prefix}-csrf_token": token, "csrf_token": token, f"{prefix}-reply": "Nej."}
        response = client.open(url, method=method, data=data if method == "POST" else None)
        if role:
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login")
    assert not rows(app)[0]["handled"]
    with app.app_context():
        refused = db.session.scalars(
            sa.select(AuditEntry.object_id).where(AuditEntry.action == "forbidden")
        ).all()
        assert len(refused) == (3 if role else 0)


def test_the_owner_sees_their_pages_first(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    leave(client, "/vejviser/groen-linie", "nej", "ældst")
    leave(client, "/sagsgange/samarbejdsmodellen", "nej", "nyest")
    auth.logout()
    make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")

    def titles():
        html = BeautifulSoup(client.get("/redaktion").get_data(as_text=True), "html.parser")
        items = html.select(".feedback-summary > li > a")
        return [a["href"].rsplit("/", 1)[1] for a in items]

    assert titles() == ["samarbejdsmodellen", "groen-linie"]  # newest open feedback first
    with app.app_context():
        db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie")).owner = "Rita Redaktør"
        db.session.commit()
    assert titles() == ["groen-linie", "samarbejdsmodellen"]  # her own page first
    assert "(dig)" in client.get("/redaktion/tilbagemeldinger").get_data(as_text=True)


def test_export_holds_the_persons_feedback(app, client, auth, make_user, reader_feedback):
    assert handle(client, reader_feedback, "Rettet.").status_code == 302
    editor_export = json.loads(client.get("/min-profil/data.json").get_data(as_text=True))
    assert editor_export["tilbagemeldinger_på_sider"] == []
    (handled,) = editor_export["tilbagemeldinger_behandlet_af_dig"]
    assert (handled["side"], handled["svar"]) == ("Grøn linie", "Rettet.")
    auth.logout()
    auth.login("laeser@example.com")
    export = json.loads(client.get("/min-profil/data.json").get_data(as_text=True))
    (own,) = export["tilbagemeldinger_på_sider"]
    assert own["side"] == "Grøn linie"
    assert own["adresse"] == "/vejviser/groen-linie"
    assert (own["svar"], own["kommentar"]) == ("nej", "Telefonnummeret er forkert.")
    assert own["svar_fra_redaktionen"] == "Rettet."
    assert own["behandlet"] is not None


def test_erasure_keeps_the_feedback_without_its_author(app, client, auth, make_user, synced):
    with app.app_context():
        profile = invitations.create_contact(
            {"name": "Karl Kontakt", "email": "karl@example.com", "administration": "SOF"},
            actor=None,
        )
        auth_services.set_password(profile.user, PASSWORD)
        db.session.commit()
        profile_id, user_id = profile.id, profile.user_id
    auth.login("karl@example.com")
    leave(client, GUIDE, "nej", "Mangler et afsnit om unge.")
    auth.logout()
    admin = make_user("admin", email="admin@example.com")
    with app.app_context():
        privacy.erase(db.session.get(ContactProfile, profile_id), db.session.get(User, admin.id))
        db.session.commit()
    (item,) = rows(app)
    assert item["user_id"] is None  # the answer stays for the editors, without the person
    assert item["comment"] == "Mangler et afsnit om unge."
    with app.app_context():
        assert db.session.get(User, user_id) is None
    auth.login("admin@example.com")
    listing = client.get("/redaktion/tilbagemeldinger/groen-linie").get_data(as_text=True)
    assert "fra Slettet bruger" in listing
    assert "Karl Kontakt" not in listing
    assert handle(client, item["id"], "Afsnittet er skrevet.").status_code == 302
