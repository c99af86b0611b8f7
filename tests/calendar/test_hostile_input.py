"""Dates at the ends of the calendar answer 404 or a form message, never a 500 (issue 18, #3);
titles and places are one line, so the .ics files always parse (#11); a random UID never
looks like a CPR number to the guard."""

import uuid
from datetime import UTC, date, datetime, time

import icalendar
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.calendar import bounds, occurrences, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import Event
from portal.errors import ValidationError
from portal.extensions import db
from tests.calendar.conftest import soon
from tests.calendar.test_editing import new_event_data
from tests.conftest import csrf_token

EXTREME_DAYS = ["9999-12-31", "0001-01-01", "0001-01-02", "9999-12-30", "1999-12-31", "2101-01-01"]
OCCURRENCE_PAGES = ["", "/deltagere", "/deltagere.csv", "/flyt", "/aflys"]
OCCURRENCE_ACTIONS = ["/tilmeld", "/afmeld", "/flyt", "/aflys"]


@pytest.fixture
def admin(auth, make_user):
    auth.login(make_user("admin").email)


@pytest.fixture
def events(make_event):
    """A single meeting, a weekly and a monthly series."""
    return [
        make_event(),
        make_event(frequency="WEEKLY"),
        make_event(frequency="MONTHLY", interval=12),
    ]


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_an_occurrence_outside_the_calendars_years_is_not_found(client, admin, events, day):
    token = csrf_token(client, "/kalender/ny")
    for event_id in events:
        for page in OCCURRENCE_PAGES:
            response = client.get(f"/kalender/{event_id}/{day}{page}")
            assert response.status_code == 404, (event_id, page)
        for action in OCCURRENCE_ACTIONS:
            response = client.post(
                f"/kalender/{event_id}/{day}{action}",
                data={"csrf_token": token, "day": "2030-01-01", "start": "10:00"}
                | {"end": "11:00", "reason": "Ingen", "version": "0", "administration": "BIF"},
            )
            assert response.status_code == 404, (event_id, action)


@pytest.mark.parametrize(
    "year, month", [(9999, 12), (0, 1), (1, 1), (1999, 12), (2101, 1), (2026, 13), (2026, 0)]
)
def test_a_month_outside_the_calendars_years_is_not_found(client, year, month):
    assert client.get(f"/kalender/maaned/{year}/{month}").status_code == 404


@pytest.mark.parametrize("year, month", [(2000, 1), (2100, 12)])
def test_the_first_and_last_month_are_shown_without_a_link_beyond(client, year, month):
    response = client.get(f"/kalender/maaned/{year}/{month}")
    assert response.status_code == 200
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = [a["href"] for a in page.select("a[rel=prev], a[rel=next]")]
    assert len(links) == 1
    assert all(client.get(link).status_code == 200 for link in links)


@pytest.mark.parametrize(
    "changes",
    [
        {"day": "0001-01-01"},
        {"day": "9999-12-31"},
        {"day": "2101-01-01"},
        {"repeat": "WEEKLY", "until": "9999-12-31"},
        {"deadline_day": "0001-01-01"},
        {"deadline_day": "9999-12-31"},
    ],
)
def test_the_form_refuses_dates_outside_the_calendars_years(app, client, admin, changes):
    response = client.post("/kalender/ny", data=new_event_data(client, **changes))
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert bounds.MESSAGE in page.select_one(".field-error").get_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_meeting_cannot_be_moved_outside_the_calendars_years(client, admin, make_event, day):
    event_id = make_event()
    path = f"/kalender/{event_id}/flyt"
    data = {"csrf_token": csrf_token(client, path), "day": day, "start": "00:00", "end": "23:59"}
    response = client.post(path, data=data | {"version": "0"})
    assert response.status_code == 400
    assert bounds.MESSAGE in response.get_data(as_text=True)


def _data(**fields) -> EventData:
    values = {"title": "Møde", "kind": "network", "administration": "both", "day": soon()}
    values |= {"start": time(13), "end": time(15), "location": "Rådhuset"}
    return EventData(**(values | fields))


@pytest.mark.parametrize(
    "fields",
    [
        {"day": date(1, 1, 1), "start": time(0, 30)},
        {"day": date(9999, 12, 31), "end": time(23, 59)},
        {"frequency": "WEEKLY", "until": date(9999, 12, 31)},
        {"deadline": datetime(1, 1, 1, tzinfo=UTC)},
    ],
)
def test_the_service_refuses_dates_outside_the_calendars_years(app, fields):
    with app.app_context(), pytest.raises(ValidationError, match="Vælg en dato mellem"):
        services.create_event(_data(**fields), None)


def test_no_occurrence_is_looked_up_outside_the_calendars_years(app, make_event):
    event_id = make_event(frequency="WEEKLY")
    with app.app_context():
        event = db.session.get(Event, event_id)
        for day in (date.min, date.max, date(1999, 12, 31), date(2101, 1, 1)):
            assert occurrences.find(event, day) is None


def test_a_title_is_one_line_and_the_ics_parses(app, client, make_event):
    event_id = make_event(title="Møde\nmed\r\nlinjeskift", location="Rådhuset,\n\tlokale 1")
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.title, event.location) == ("Møde med linjeskift", "Rådhuset, lokale 1")
    response = client.get(f"/kalender/{event_id}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Møde med linjeskift"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Møde med linjeskift"


def test_an_older_title_with_a_line_break_still_gives_an_ics(app, client, make_event):
    """Rows saved before titles were made one line."""
    event_id = make_event()
    with app.app_context():
        db.session.execute(
            sa.update(Event)
            .where(Event.id == event_id)
            .values(title="Gammel\r\ntitel", location="Sted\nto")
        )
        db.session.commit()
    for path in (f"/kalender/{event_id}.ics", "/kalender.ics"):
        response = client.get(path)
        assert response.status_code == 200, path
        calendar = icalendar.Calendar.from_ical(response.data)
        (vevent,) = calendar.walk("VEVENT")
        assert (str(vevent["SUMMARY"]), str(vevent["LOCATION"])) == ("Gammel titel", "Sted to")


def test_a_uid_that_looks_like_a_cpr_number_is_drawn_again(app, monkeypatch):
    drawn = iter(
        [
            uuid.UUID("0f240884-8498-4c4c-b7aa-26b0f9ed8e21"),  # 240884-8498: 24.08.84
            uuid.UUID("7d3e2b1a-aaaa-4bbb-8ccc-dddddddddddd"),
        ]
    )
    monkeypatch.setattr(uuid, "uuid4", lambda: next(drawn))
    with app.app_context():
        event = services.create_event(_data(), None)
        assert event.uid == "7d3e2b1a-aaaa-4bbb-8ccc-dddddddddddd@bif-sof-portalen"
