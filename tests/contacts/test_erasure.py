"""Issue 18 #5: erasing or renaming a person reaches every search document that shows them (the
meetings they organise), and the personal-data export holds their meetings."""

import json

import pytest
import sqlalchemy as sa

from portal import search
from portal.calendar import loading, registrations
from portal.contacts.models import ContactProfile
from portal.extensions import db
from portal.search.models import SearchOutbox
from tests.calendar.conftest import make_event  # noqa: F401 (a fixture)
from tests.conftest import csrf_token
from tests.contacts.test_selfservice import form_values, login_as


@pytest.fixture
def app_config():
    return {"SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def organiser(app, make_contact, make_event):  # noqa: F811
    """A contact person who organises a meeting; the index holds both. (profile id, event id)"""
    pid = make_contact(name="Olga Organisator")
    with app.app_context():
        user_id = db.session.get(ContactProfile, pid).user_id
    event_id = make_event(title="Netværksmøde om jobplaner", organiser_id=user_id)
    with app.app_context():
        search.rebuild()
        assert search.check().ok
        assert f"/kalender/{event_id}" in urls("Organisator")
    return pid, event_id


def urls(query: str) -> list[str]:
    return [r.url for r in search.search(query).results]


def test_an_erased_organiser_leaves_the_meetings_search_document(
    app, client, auth, runner, make_user, organiser
):
    pid, event_id = organiser
    make_user("admin", email="admin@example.com")
    auth.login("admin@example.com")
    response = client.post(
        f"/kontaktpersoner/{pid}/slet",
        data={
            "csrf_token": csrf_token(client, f"/kontaktpersoner/{pid}"),
            "name": "Olga Organisator",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        report = search.check()
        assert report.ok, report
        assert urls("Organisator") == []
        assert f"/kalender/{event_id}" in urls("jobplaner")  # the meeting itself stays
    result = runner.invoke(args=["portal", "search", "check"])  # flask --app wsgi portal ...
    assert result.exit_code == 0 and "i takt med databasen" in result.output


def test_the_erasure_writes_the_meetings_outbox_row_in_its_transaction(app, organiser):
    from portal.auth.models import User
    from portal.contacts import privacy

    pid, event_id = organiser
    with app.app_context():
        admin = db.session.scalar(sa.select(User).limit(1))
        privacy.erase(db.session.get(ContactProfile, pid), admin)
        rows = set(db.session.execute(sa.select(SearchOutbox.source, SearchOutbox.key)).all())
        assert ("event", str(event_id)) in rows
        db.session.rollback()
        assert not db.session.scalars(sa.select(SearchOutbox)).all()


def test_renaming_an_organiser_updates_the_meetings_document(
    app, client, auth, make_user, organiser
):
    pid, event_id = organiser
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    data = form_values(client, f"/kontaktpersoner/{pid}/rediger")
    data["name"] = "Olga Omdøbt"
    assert client.post(f"/kontaktpersoner/{pid}/rediger", data=data).status_code == 302
    with app.app_context():
        report = search.check()
        assert report.ok, report
        assert f"/kalender/{event_id}" in urls("Omdøbt")
        assert urls("Organisator") == []


def test_the_export_holds_registrations_and_meetings_organised(
    app,
    client,
    auth,
    get_profile,
    organiser,
    make_event,  # noqa: F811
):
    pid, organised = organiser
    attended = make_event(title="Fagligt gå-hjem-møde om misbrug", kind="talk")
    with app.app_context():
        user = db.session.get(ContactProfile, pid).user
        registrations.register(loading.get_occurrence(attended, None), user, "SOF", "Team A")
        db.session.commit()
    login_as(auth, get_profile, pid)
    data = json.loads(client.get("/min-profil/data.json").get_data(as_text=True))
    [registration] = data["tilmeldinger"]
    assert registration["møde"] == "Fagligt gå-hjem-møde om misbrug"
    assert registration["status"] == "tilmeldt" and registration["enhed"] == "Team A"
    assert registration["adresse"] == f"/kalender/{attended}"
    [meeting] = data["møder_som_arrangør"]
    assert meeting["møde"] == "Netværksmøde om jobplaner"
    assert meeting["adresse"] == f"/kalender/{organised}" and meeting["start"]
