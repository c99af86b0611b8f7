"""What a viewer may see of a profile: ``presenter.visible`` decides, and every output (cards,
profile page, JSON, vCard, CSV, search) shows only that."""

import csv
import dataclasses
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from portal.auth.models import User
from portal.contacts.models import ContactProfile
from portal.contacts.presenter import visible
from portal.contacts.search import document
from portal.extensions import db

CONFIRMED = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)  # long ago: the profile is stale
CONFIRMED_SHOWN = ("2024-03-05", "5. marts 2024", "05.03.2024")


@pytest.fixture
def vera(app, make_contact):
    pid = make_contact(name="Vera Vis", job_title="Socialrådgiver", about="Kender misbrug.")
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = CONFIRMED
        db.session.commit()
    return pid


def test_the_confirmation_date_is_for_the_special_unit_and_the_person(
    app, vera, make_contact, make_user
):
    other = make_contact(name="Anden Kontakt")
    staff, editor, admin = make_user("staff"), make_user("editor"), make_user("admin")
    with app.app_context():
        profile = db.session.get(ContactProfile, vera)
        viewers = {
            "nobody": None,
            "anonymous": AnonymousUserMixin(),
            "staff": db.session.get(User, staff.id),
            "another contact": db.session.get(ContactProfile, other).user,
            "the person": profile.user,
            "editor": db.session.get(User, editor.id),
            "admin": db.session.get(User, admin.id),
        }
        views = {name: visible(profile, viewer) for name, viewer in viewers.items()}
    for name, view in views.items():
        sees = name in {"the person", "editor", "admin"}
        assert view.confirmed_at == (CONFIRMED if sees else None), name
        # Everything else is the same for everyone.
        assert dataclasses.replace(view, confirmed_at=None) == views["nobody"], name
    assert views["nobody"].stale and views["nobody"].about == "Kender misbrug."


def test_no_output_shows_the_confirmation_date_to_everyone(app, client, vera):
    outputs = {
        path: client.get(path).get_data(as_text=True)
        for path in (
            "/kontaktpersoner/",
            f"/kontaktpersoner/{vera}",
            f"/kontaktpersoner/{vera}.vcf",
            "/kontaktpersoner.vcf",
            "/api/contacts",
        )
    }
    with app.app_context():
        search = document(db.session.get(ContactProfile, vera))
        outputs["search"] = " ".join(str(v) for v in dataclasses.astuple(search))
    assert (
        "Vera Vis" in outputs["/api/contacts"] and "ikke bekræftet" in outputs["/kontaktpersoner/"]
    )
    for where, text in outputs.items():
        assert not any(shown in text for shown in CONFIRMED_SHOWN), where


def test_the_editors_csv_shows_the_visible_view(app, client, auth, make_user, vera):
    editor = make_user("editor")
    auth.login(editor.email)
    body = client.get("/kontaktpersoner.csv").get_data(as_text=True).lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    with app.app_context():
        view = visible(db.session.get(ContactProfile, vera), db.session.get(User, editor.id))
    shown = dict(zip(header, row, strict=True))
    assert shown["Navn"] == view.name and shown["Stilling"] == view.job_title
    # "+45 …" is a phone number, not a formula: no apostrophe (issue 18, #19).
    assert shown["Telefon"] == view.phone_shown and shown["Kan hjælpe med"] == "misbrug"
    assert shown["Bekræftet"] == "2024-03-05"


def test_the_json_api_is_the_visible_view(app, client, vera):
    person = client.get("/api/contacts").get_json()["contacts"][0]
    with app.app_context():
        view = visible(db.session.get(ContactProfile, vera), None)
    for key in ("id", "name", "job_title", "administration", "centre", "team", "workplace"):
        assert person[key] == getattr(view, key), key
    assert (person["email"], person["phone"]) == (view.email, view.phone)
    assert person["areas"] == list(view.areas) and person["demo"] == view.is_demo
    assert "confirmed_at" not in person and "about" not in person


@pytest.fixture
def selects(app):
    """The SELECT statements the database receives while the test runs."""
    log: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            log.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    yield log
    sa.event.remove(engine, "before_cursor_execute", record)


def test_cards_with_photos_do_not_load_each_photo(app, client, make_contact, selects):
    def add_with_photos(count: int) -> None:
        for _ in range(count):
            pid = make_contact()
            with app.app_context():
                profile = db.session.get(ContactProfile, pid)
                profile.photo, profile.photo_version = b"jpeg", 1
                db.session.commit()

    add_with_photos(2)
    selects.clear()
    assert client.get("/kontaktpersoner/").get_data(as_text=True).count("/foto?v=1") == 2
    few = len(selects)
    add_with_photos(5)
    selects.clear()
    assert client.get("/kontaktpersoner/").get_data(as_text=True).count("/foto?v=1") == 7
    assert len(selects) == few
