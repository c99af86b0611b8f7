"""The participant list: the organiser and the editors see it and export it; nobody else."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from portal.auth.models import User
from portal.calendar import listing, loading, registrations, services
from portal.errors import ValidationError
from portal.extensions import db
from tests.calendar.conftest import soon


@pytest.fixture
def meeting(app, make_event, make_user):
    """A meeting organised by a contact person, with one registered and one waiting."""
    organiser = make_user("contact", email="kontakt@example.com", name="Karin Kontakt")
    event_id = make_event(organiser_id=organiser.id, capacity=1)
    people = [
        (make_user(email="a@example.com", name="Anders And"), "BIF", "Jobcenter Amager"),
        (make_user(email="b@example.com", name='=HYPERLINK("x")'), "other", "-2+3"),
    ]
    with app.app_context():
        occurrence = loading.get_occurrence(event_id, None)
        for user, administration, unit in people:
            registrations.register(occurrence, db.session.get(User, user.id), administration, unit)
        db.session.commit()
    return event_id


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("staff@example.com", 403),
        ("a@example.com", 403),  # a participant sees the count, not the others
        ("anden-kontakt@example.com", 403),  # a contact person, but not the organiser
        ("kontakt@example.com", 200),  # the organiser
        ("red@example.com", 200),
    ],
)
def test_who_sees_the_participants(client, auth, make_user, meeting, who, status):
    make_user("staff", email="staff@example.com")
    make_user("contact", email="anden-kontakt@example.com")
    make_user("editor", email="red@example.com")
    if who:
        auth.login(who)
    for suffix in ("deltagere", "deltagere.csv"):
        assert client.get(f"/kalender/{meeting}/{suffix}").status_code == status
    link = BeautifulSoup(client.get(f"/kalender/{meeting}").data, "html.parser").find(
        "a", string="Se deltagerlisten"
    )
    assert (link is not None) == (status == 200)


def test_participant_list_shows_administration_unit_and_waitlist(client, auth, make_user, meeting):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    page = BeautifulSoup(client.get(f"/kalender/{meeting}/deltagere").data, "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("tbody tr")]
    assert rows == [
        ["Anders And", "Medarbejder", "BIF", "Jobcenter Amager", "a@example.com", "Tilmeldt"],
        [
            '=HYPERLINK("x")',
            "Medarbejder",
            "Anden eller ikke oplyst",
            "-2+3",
            "b@example.com",
            "Venteliste",
        ],
    ]


def test_csv_export_for_excel(client, auth, make_user, meeting):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    response = client.get(f"/kalender/{meeting}/deltagere.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads UTF-8 with a BOM: æ, ø, å survive
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Navn", "E-mail", "Rolle", "Forvaltning", "Enhed", "Status", "Tilmeldt"]
    assert rows[1][:6] == [
        "Anders And",
        "a@example.com",
        "Medarbejder",
        "BIF",
        "Jobcenter Amager",
        "Tilmeldt",
    ]
    # Cells that a spreadsheet would run as formulas are kept as text.
    assert rows[2][0] == '\'=HYPERLINK("x")' and rows[2][4] == "'-2+3"
    assert rows[2][5] == "Venteliste"


def test_events_organised_by_lists_upcoming_meetings_not_cancelled(app, make_event, make_user):
    organiser = make_user("contact")
    first = soon(5)
    series = make_event(
        organiser_id=organiser.id, day=first, frequency="WEEKLY", until=first + timedelta(days=14)
    )
    cancelled = make_event(organiser_id=organiser.id, title="Aflyses")
    make_event(title="Specialenhedens møde")
    with app.app_context():
        event = loading.get_event(cancelled)
        services.cancel(event, None, "Ingen tilmeldte.", event.sequence, None)
        event = loading.get_event(series)
        services.cancel(event, first, "Helligdag.", event.sequence, None)
        db.session.commit()
        found = listing.events_organised_by(organiser.id)
        assert [(o.event.id, o.day) for o in found] == [
            (series, first + timedelta(days=7)),
            (series, first + timedelta(days=14)),
        ]
        assert all(o.title and o.location and o.url_values["event_id"] == series for o in found)


def test_organiser_must_be_a_contact_person(app, make_event, make_user):
    staff = make_user("staff")
    with pytest.raises(ValidationError, match="kontaktperson"):
        make_event(organiser_id=staff.id)
