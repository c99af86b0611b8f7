"""The iCalendar feed and per-event files, parsed back with icalendar: VTIMEZONE, stable UIDs,
SEQUENCE, RRULE, EXDATE, RECURRENCE-ID, STATUS:CANCELLED and the reminder the day before."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from portal.calendar import services
from portal.calendar.models import Event
from portal.extensions import db

CPH = ZoneInfo("Europe/Copenhagen")


def parse(client, path) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def vevents(cal, uid=None) -> list:
    return [e for e in cal.walk("VEVENT") if uid is None or str(e["UID"]) == uid]


@pytest.fixture
def series(app, make_event):
    """The second Tuesday of every third month in 2030; April moved, July cancelled."""
    event_id = make_event(
        day=date(2030, 1, 8),
        frequency="MONTHLY",
        interval=3,
        until=date(2030, 12, 31),
        capacity=20,
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.move(
            event,
            date(2030, 4, 9),
            date(2030, 4, 16),
            time(10),
            time(12),
            "Hovedbiblioteket",
            event.sequence,
            None,
        )
        services.cancel(event, date(2030, 7, 9), "Sommerferie.", event.sequence, None)
        db.session.commit()
        return event_id, event.uid


def test_calendar_has_the_copenhagen_timezone(client, series):
    cal = parse(client, "/kalender.ics")
    assert str(cal["VERSION"]) == "2.0" and "BIF-SOF Portalen" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH"
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Copenhagen"
    # The VTIMEZONE's rules give the same offsets as the tz database, winter and summer.
    zone = tz.to_tz()
    for moment in (datetime(2030, 1, 8, 13), datetime(2030, 7, 9, 13), datetime(2031, 10, 27, 2)):
        expected = moment.replace(tzinfo=CPH).utcoffset()
        assert zone.utcoffset(moment) == expected, moment


def test_series_with_rrule_exdate_and_recurrence_id(client, series):
    event_id, uid = series
    cal = parse(client, f"/kalender/{event_id}.ics")
    master, moved = sorted(vevents(cal, uid), key=lambda e: "RECURRENCE-ID" in e)
    # The series: RRULE from the first start, in Copenhagen time.
    assert master["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert master.decoded("DTSTART") == datetime(2030, 1, 8, 13, tzinfo=CPH)
    assert master.decoded("DTEND") == datetime(2030, 1, 8, 15, 30, tzinfo=CPH)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [3] and rule["BYDAY"] == ["2TU"]
    assert rule["UNTIL"] == [datetime(2030, 12, 31, 22, 59, 59, tzinfo=UTC)]
    # The cancelled occurrence is left out of the series.
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [datetime(2030, 7, 9, 13, tzinfo=CPH)]
    # The moved occurrence replaces its date, with the same UID.
    assert moved.decoded("RECURRENCE-ID") == datetime(2030, 4, 9, 13, tzinfo=CPH)
    assert moved.decoded("DTSTART") == datetime(2030, 4, 16, 10, tzinfo=CPH)
    assert str(moved["LOCATION"]) == "Hovedbiblioteket"
    assert str(moved["URL"]).endswith(f"/kalender/{event_id}/2030-04-09")
    assert str(master["URL"]).endswith(f"/kalender/{event_id}")
    # Both carry the event's SEQUENCE: two changes so far.
    assert master["SEQUENCE"] == moved["SEQUENCE"] == 2
    assert str(master["STATUS"]) == "CONFIRMED"


def test_every_vevent_has_a_reminder_the_day_before(client, series):
    for vevent in vevents(parse(client, "/kalender.ics")):
        (alarm,) = vevent.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(days=-1)
        assert str(alarm["DESCRIPTION"]).startswith("I morgen:")


def test_uid_is_stable_and_sequence_rises_on_every_change(app, client, make_event):
    event_id = make_event(day=date(2030, 5, 14))

    def current():
        (vevent,) = vevents(parse(client, f"/kalender/{event_id}.ics"))
        return str(vevent["UID"]), vevent["SEQUENCE"], vevent

    uid, sequence, _ = current()
    assert sequence == 0 and uid.endswith("@bif-sof-portalen")
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.move(event, None, date(2030, 5, 21), time(13), time(15), "", 0, None)
        db.session.commit()
    assert current()[:2] == (uid, 1)
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, None, "For få tilmeldte.", 1, None)
        db.session.commit()
    uid_after, sequence, vevent = current()
    assert (uid_after, sequence) == (uid, 2)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["SUMMARY"]).startswith("Aflyst: ")
    assert "For få tilmeldte." in str(vevent["DESCRIPTION"])
    assert not vevent.walk("VALARM")  # no reminder for a meeting that will not be held
    assert vevent.decoded("DTSTART") == datetime(2030, 5, 21, 13, tzinfo=CPH)


def test_a_cancelled_series_is_cancelled_in_the_feed(app, client, make_event):
    event_id = make_event(day=date(2030, 1, 8), frequency="WEEKLY", until=date(2030, 2, 26))
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, None, "Erstattes.", 0, None)
        db.session.commit()
    (vevent,) = vevents(parse(client, f"/kalender/{event_id}.ics"))
    assert str(vevent["STATUS"]) == "CANCELLED" and "RRULE" in vevent


def test_feed_filters_by_type_and_administration(client, make_event):
    make_event(title="Netværk for alle", day=date(2030, 3, 5))
    make_event(title="Kun BIF", kind="course", administration="BIF", day=date(2030, 3, 6))
    make_event(title="Kun SOF", kind="course", administration="SOF", day=date(2030, 3, 7))

    def titles(query):
        return sorted(str(e["SUMMARY"]) for e in vevents(parse(client, "/kalender.ics" + query)))

    assert titles("") == ["Kun BIF", "Kun SOF", "Netværk for alle"]
    assert titles("?type=kursus") == ["Kun BIF", "Kun SOF"]
    assert titles("?forvaltning=BIF") == ["Kun BIF", "Netværk for alle"]
    assert titles("?type=kursus&forvaltning=SOF") == ["Kun SOF"]
    assert titles("?type=ukendt") == titles("")  # an unknown filter is ignored
    cal = parse(client, "/kalender.ics?type=kursus&forvaltning=SOF")
    assert "Kursus og introforløb" in str(cal["X-WR-CALNAME"])


def test_feed_leaves_out_meetings_long_past(client, make_event):
    from tests.calendar.conftest import soon

    make_event(title="For længe siden", day=soon(-200))
    make_event(title="For nylig", day=soon(-10))
    titles = {str(e["SUMMARY"]) for e in vevents(parse(client, "/kalender.ics"))}
    assert titles == {"For nylig"}


def test_event_fields_in_the_feed(client, make_event, make_user):
    organiser = make_user("contact", email="karin@example.com", name="Karin Kontakt")
    event_id = make_event(day=date(2030, 3, 5), organiser_id=organiser.id)
    (vevent,) = vevents(parse(client, f"/kalender/{event_id}.ics"))
    assert str(vevent["SUMMARY"]) == "Netværksmøde for kontaktpersoner"
    assert str(vevent["LOCATION"]) == "Københavns Rådhus"
    assert "**udveksler**" in str(vevent["DESCRIPTION"])
    assert str(vevent["ORGANIZER"]) == "mailto:karin@example.com"
    assert vevent["ORGANIZER"].params["CN"] == "Karin Kontakt"
    assert vevent.decoded("DTSTAMP").tzinfo is not None
    assert vevent.decoded("LAST-MODIFIED").tzinfo is not None


BASE_URL = "https://portal.example.dk"


@pytest.mark.parametrize(
    "app_config", [{"BASE_URL": BASE_URL, "TRUSTED_HOSTS": ["portal.example.dk", "intern.example"]}]
)
def test_links_use_the_base_url_whatever_the_host(client, make_event):
    """Issue 18, #12: the host in a calendar file's links is PORTAL_BASE_URL's, also when the
    request came by another trusted host; an untrusted host gets no calendar at all. (The
    scheme is the request's, as the proxy reports it: https here.)"""
    event_id = make_event()
    page = f"{BASE_URL}/kalender/{event_id}"
    for host in ("https://portal.example.dk", "https://intern.example"):
        for path in (f"/kalender/{event_id}.ics", "/kalender.ics"):
            response = client.get(path, base_url=host)
            assert response.status_code == 200, (host, path)
            (vevent,) = vevents(icalendar.Calendar.from_ical(response.data))
            assert str(vevent["URL"]) == page
            assert f"Læs mere og tilmeld dig: {page}" in str(vevent["DESCRIPTION"])
    assert (
        client.get(f"/kalender/{event_id}.ics", base_url="http://evil.example").status_code == 400
    )
