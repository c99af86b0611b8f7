"""Editors create, edit, move, cancel and delete meetings; a stale form is refused with the
editor's input kept; staff cannot edit; CPR numbers and unsafe HTML never get in."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.auth.models import User
from portal.calendar import loading, registrations, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import Event
from portal.errors import ValidationError
from portal.extensions import db
from tests.calendar.conftest import soon, version
from tests.conftest import csrf_token


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def editor(auth, make_user):
    make_user("editor", email="red@example.com", name="Rita Redaktør")
    auth.login("red@example.com")


def form_data(client, path, **changes) -> dict:
    """The form on ``path`` as the browser would send it, with ``changes``."""
    page = soup(client.get(path))
    form = page.select_one("form.event-form")
    data = {}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            data[name] = chosen["value"]
        elif element.name == "textarea":
            data[name] = element.get_text().lstrip("\n")
        else:
            data[name] = element.get("value", "")
    data.update(changes)
    return data


def new_event_data(client, **changes) -> dict:
    base = {
        "title": "Fagligt gå-hjem-møde om grøn linie",
        "kind": "talk",
        "administration": "both",
        "day": soon(20).isoformat(),
        "start": "15:00",
        "end": "16:30",
        "location": "Københavns Hovedbibliotek",
        "description": "Hør om **grøn linie**.<script>alert(1)</script>",
        "capacity": "30",
        "csrf_token": csrf_token(client, "/kalender/ny"),
    }
    base.update(changes)
    return base


def test_editor_creates_a_meeting(app, client, editor):
    response = client.post("/kalender/ny", data=new_event_data(client))
    assert response.status_code == 302
    page = soup(client.get(response.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Fagligt gå-hjem-møde om grøn linie"
    prose = page.select_one(".prose")
    assert prose.strong.get_text() == "grøn linie"
    assert prose.script is None and "alert" not in str(prose)  # through portal.text
    with app.app_context():
        event = db.session.scalar(sa.select(Event))
        assert (event.sequence, event.capacity, event.rrule) == (0, 30, None)
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "create"))


def test_editor_creates_a_series(app, client, editor):
    first = soon(20)
    while first.weekday() != 1 or not 8 <= first.day <= 14:  # a second Tuesday
        first += timedelta(days=1)
    data = new_event_data(
        client,
        day=first.isoformat(),
        repeat="MONTHLY",
        interval="3",
        until=(first + timedelta(days=300)).isoformat(),
    )
    response = client.post("/kalender/ny", data=data)
    assert response.status_code == 302, soup(response).select_one(".error-summary")
    page = soup(client.get(response.headers["Location"]))
    assert "Anden tirsdag hver tredje måned" in page.select_one(".event-facts").get_text()
    assert len(page.select(".event-list > li")) == 4


def test_form_errors_are_danish_and_keep_the_input(app, client, editor):
    data = new_event_data(client, day="31-02-2026", end="14:00", title="")
    response = client.post("/kalender/ny", data=data)
    assert response.status_code == 400
    page = soup(response)
    errors = {e.get("id"): e.get_text(strip=True) for e in page.select(".field-error")}
    assert errors["title-fejl"] == "Skriv en titel."
    assert errors["day-fejl"] == "Skriv en gyldig dato."
    assert page.select_one("#location")["value"] == "Københavns Hovedbibliotek"
    assert page.select_one("#title")["aria-invalid"] == "true"


def test_end_before_start_is_refused(app, client, editor):
    response = client.post("/kalender/ny", data=new_event_data(client, end="14:00"))
    assert response.status_code == 400
    assert (
        "Mødet skal slutte, efter det begynder."
        in soup(response).select_one(".error-summary").get_text()
    )


@pytest.mark.parametrize("field", ["title", "location", "description"])
def test_text_with_a_cpr_number_is_refused(app, client, editor, field):
    data = new_event_data(client, **{field: "Sag om 010190-1234"})
    response = client.post("/kalender/ny", data=data)
    assert response.status_code == 400
    message = soup(response).select_one(".error-summary").get_text()
    assert "CPR-nummer" in message and "Oplysninger om borgere" in message
    assert soup(response).select_one(f"#{field}") is not None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_edit_raises_the_sequence_and_keeps_the_uid(app, client, editor, make_event):
    event_id = make_event()
    with app.app_context():
        uid = db.session.get(Event, event_id).uid
    path = f"/kalender/{event_id}/rediger"
    response = client.post(path, data=form_data(client, path, title="Nyt navn"))
    assert response.status_code == 302
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.title, event.sequence, event.uid) == ("Nyt navn", 1, uid)
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.field == "title", AuditEntry.action == "update")
        )
        assert (entry.old_value, entry.new_value) == (
            "Netværksmøde for kontaktpersoner",
            "Nyt navn",
        )


def test_a_stale_edit_is_refused_and_the_input_kept(app, client, editor, make_event):
    event_id = make_event()
    path = f"/kalender/{event_id}/rediger"
    mine = form_data(client, path, title="Min titel", location="Mit sted")
    # Someone else saves first.
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, None, "Aflyst af en kollega.", event.sequence, None)
        db.session.commit()
    response = client.post(path, data=mine)
    assert response.status_code == 409
    page = soup(response)
    assert "ændret af en anden" in page.select_one(".error-summary").get_text()
    assert page.select_one("#title")["value"] == "Min titel"
    assert page.select_one("#location")["value"] == "Mit sted"
    assert "Netværksmøde for kontaktpersoner" in page.select_one(".current-version").get_text()
    with app.app_context():
        assert db.session.get(Event, event_id).title == "Netværksmøde for kontaktpersoner"
    # Having seen it, the editor can save again.
    mine["version"] = page.select_one("#version")["value"]
    assert client.post(path, data=mine).status_code == 302


def test_a_form_without_its_version_is_refused(app, client, editor, make_event):
    event_id = make_event()
    path = f"/kalender/{event_id}/rediger"
    data = form_data(client, path, title="Uden version")
    del data["version"]
    assert client.post(path, data=data).status_code == 409


def test_schedule_change_that_drops_registered_dates_is_refused(app, make_event, make_user):
    first = soon(10)
    event_id = make_event(day=first, frequency="WEEKLY", until=first + timedelta(days=21))
    user = make_user()
    with app.app_context():
        registrations.register(
            loading.get_occurrence(event_id, first + timedelta(days=14)),
            db.session.get(User, user.id),
            "BIF",
        )
        db.session.commit()
        event = db.session.get(Event, event_id)
        data = EventData(
            title=event.title,
            kind=event.kind,
            administration=event.administration,
            day=first,
            start=time(13),
            end=time(15),
            location=event.location,
            frequency="WEEKLY",
            until=first + timedelta(days=7),
        )
        with pytest.raises(ValidationError, match="fjerner datoer"):
            services.update_event(event, data, event.sequence, None)
        db.session.rollback()
        data.until = first + timedelta(days=28)  # longer is fine
        services.update_event(db.session.get(Event, event_id), data, event.sequence, None)
        db.session.commit()


def test_move_a_single_meeting(app, client, editor, make_event, make_user):
    event_id = make_event()
    path = f"/kalender/{event_id}/flyt"
    new_day = soon(40)
    data = {
        "csrf_token": csrf_token(client, path),
        "day": new_day.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "location": "",
        "version": "0",
    }
    response = client.post(path, data=data, follow_redirects=True)
    page = soup(response)
    assert "Mødet er flyttet" in page.select_one(".flashes").get_text()
    banner = page.select_one(".status-banner").get_text()
    assert "Flyttet." in banner and "kl. 13.00" in banner
    assert "kl. 10.00–12.00" in page.select_one(".event-facts").get_text()
    assert "Københavns Rådhus" in page.select_one(".event-facts").get_text()
    with app.app_context():
        assert db.session.get(Event, event_id).sequence == 1


def test_participants_see_a_change_after_they_registered(app, client, auth, make_event, make_user):
    event_id = make_event()
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    token = csrf_token(client, f"/kalender/{event_id}")
    client.post(
        f"/kalender/{event_id}/tilmeld", data={"csrf_token": token, "administration": "BIF"}
    )
    assert "ændret, efter du tilmeldte dig" not in client.get(f"/kalender/{event_id}").get_data(
        as_text=True
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, None, "Oplægsholderen er syg.", event.sequence, None)
        db.session.commit()
    page = soup(client.get(f"/kalender/{event_id}"))
    assert "ændret, efter du tilmeldte dig" in page.select_one(".flash-warning").get_text()
    assert "Oplægsholderen er syg." in page.select_one(".status-banner").get_text()


def test_cancel_needs_a_reason_and_keeps_the_meeting_visible(app, client, editor, make_event):
    event_id = make_event()
    path = f"/kalender/{event_id}/aflys"
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "version": "0", "reason": ""})
    assert response.status_code == 400
    assert "Skriv en begrundelse" in soup(response).select_one(".field-error").get_text()
    response = client.post(
        path,
        data={"csrf_token": token, "version": "0", "reason": "Lokalet er optaget."},
        follow_redirects=True,
    )
    assert "Aflyst" in soup(response).h1.get_text()
    listing = soup(client.get("/kalender/"))
    item = listing.select_one(".event-item.is-cancelled")
    assert "Aflyst" in item.get_text() and "Lokalet er optaget." in item.get_text()


def test_delete_needs_confirmation(app, client, editor, make_event):
    event_id = make_event()
    token = csrf_token(client, f"/kalender/{event_id}/rediger")
    path = f"/kalender/{event_id}/slet"
    response = client.post(path, data={"csrf_token": token, "slet-version": "0"})
    assert response.status_code == 303
    assert client.get(f"/kalender/{event_id}").status_code == 200
    response = client.post(
        path, data={"csrf_token": token, "slet-version": "0", "slet-confirm": "y"}
    )
    assert response.status_code == 302
    assert client.get(f"/kalender/{event_id}").status_code == 404


@pytest.mark.parametrize("role, status", [("staff", 403), ("contact", 403), ("anon", 302)])
def test_only_editors_can_change_meetings(app, client, auth, make_user, make_event, role, status):
    event_id = make_event()
    if role != "anon":
        make_user(role, email=f"{role}@example.com")
        auth.login(f"{role}@example.com")
    token = csrf_token(client, "/login" if role == "anon" else "/")
    posts = {
        "/kalender/ny": {"title": "Mit møde"},
        f"/kalender/{event_id}/rediger": {"title": "Overtaget", "version": "0"},
        f"/kalender/{event_id}/flyt": {"day": soon(50).isoformat(), "version": "0"},
        f"/kalender/{event_id}/aflys": {"reason": "Nej", "version": "0"},
        f"/kalender/{event_id}/slet": {"slet-confirm": "y", "slet-version": "0"},
    }
    for path, data in posts.items():
        assert client.get(path).status_code in (status, 405)
        assert client.post(path, data={"csrf_token": token, **data}).status_code == status
    assert version(app, event_id) == 0
    page = soup(client.get(f"/kalender/{event_id}"))
    assert page.select_one(".editor-actions") is None


def test_a_change_to_one_date_tells_only_that_dates_participants(
    app, client, auth, make_event, make_user
):
    first = soon(10)
    second = first + timedelta(days=7)
    event_id = make_event(day=first, frequency="WEEKLY", until=second)
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    for day in (first, second):
        path = f"/kalender/{event_id}/{day.isoformat()}"
        token = csrf_token(client, path)
        client.post(f"{path}/tilmeld", data={"csrf_token": token, "administration": "SOF"})
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.move(event, second, second, time(9), time(11), "", event.sequence, None)
        db.session.commit()

    def notice(day):
        page = soup(client.get(f"/kalender/{event_id}/{day.isoformat()}"))
        return "ændret, efter du tilmeldte dig" in page.get_text()

    assert (notice(first), notice(second)) == (False, True)
