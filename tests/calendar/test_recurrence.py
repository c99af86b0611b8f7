"""Series: an RRULE evaluated in Copenhagen time across daylight-saving changes, and single
occurrences moved or cancelled without touching the rest of the series."""

from datetime import UTC, date, datetime, time

import pytest
from bs4 import BeautifulSoup

from portal.calendar import formatting, listing, occurrences, rules, services
from portal.calendar.models import Event
from portal.errors import ValidationError
from portal.extensions import db
from portal.timeutil import local
from portal.timeutil import zone as local_zone


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def all_of(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return occurrences.between(event, utc(2000, 1, 1), utc(2100, 1, 1))


def test_monthly_series_keeps_13_00_across_daylight_saving(app, make_event):
    # The second Tuesday of every third month, 2030: two in winter time, two in summer time.
    event_id = make_event(
        day=date(2030, 2, 12), frequency="MONTHLY", interval=3, until=date(2030, 12, 31)
    )
    found = all_of(app, event_id)
    assert [o.key for o in found] == ["2030-02-12", "2030-05-14", "2030-08-13", "2030-11-12"]
    assert {local(o.starts_at).time() for o in found} == {time(13)}
    assert {local(o.ends_at).time() for o in found} == {time(15, 30)}
    # CET is UTC+1, CEST is UTC+2: the UTC hour moves so that the local hour does not.
    assert [o.starts_at.hour for o in found] == [12, 11, 11, 12]
    assert all(o.starts_at.tzinfo is not None for o in found)


def test_weekly_series_over_the_night_the_clocks_change(app, make_event):
    # Summer time begins on Sunday 31 March 2030 at 02:00; winter time on 27 October 2030.
    event_id = make_event(
        day=date(2030, 3, 26),
        start=time(9),
        end=time(10),
        frequency="WEEKLY",
        until=date(2030, 4, 2),
    )
    before, after = all_of(app, event_id)
    assert (before.starts_at, after.starts_at) == (utc(2030, 3, 26, 8), utc(2030, 4, 2, 7))
    event_id = make_event(
        day=date(2030, 10, 22),
        start=time(9),
        end=time(10),
        frequency="WEEKLY",
        until=date(2030, 10, 29),
    )
    before, after = all_of(app, event_id)
    assert (before.starts_at, after.starts_at) == (utc(2030, 10, 22, 7), utc(2030, 10, 29, 8))


def test_rule_is_stored_as_rfc5545_and_described_in_danish(app, make_event):
    event_id = make_event(
        day=date(2030, 1, 8), frequency="MONTHLY", interval=3, until=date(2030, 12, 31)
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;UNTIL=20301231T225959Z"
        assert formatting.rule_text(event) == (
            "Anden tirsdag hver tredje måned, til og med 8. oktober 2030"
        )


def test_first_date_must_belong_to_the_series():
    start = datetime(2030, 1, 9, 13, tzinfo=local_zone())  # a Wednesday
    with pytest.raises(ValidationError, match="første dato"):
        rules.check("FREQ=MONTHLY;BYDAY=2TU", start)
    with pytest.raises(ValidationError, match="højst én gang om dagen"):
        rules.check("FREQ=DAILY;BYHOUR=9,13", start)


def test_last_weekday_of_the_month():
    start = datetime(2030, 1, 29, 13, tzinfo=local_zone())  # the fifth, so the last, Tuesday
    assert rules.build("MONTHLY", 1, start, None) == "FREQ=MONTHLY;BYDAY=-1TU"


def test_each_occurrence_has_its_own_address(app, client, make_event):
    event_id = make_event(day=date(2030, 1, 8), frequency="MONTHLY", interval=3)
    page = BeautifulSoup(client.get(f"/kalender/{event_id}/2030-04-09").data, "html.parser")
    assert "tirsdag 9. april 2030 kl. 13.00–15.30" in page.select_one(".event-facts").get_text()
    assert client.get(f"/kalender/{event_id}/2030-04-10").status_code == 404  # not a date of it
    assert client.get(f"/kalender/{event_id}/2030-13-01").status_code == 404
    series = BeautifulSoup(client.get(f"/kalender/{event_id}").data, "html.parser")
    assert "Anden tirsdag hver tredje måned" in series.select_one(".event-facts").get_text()


def test_a_moved_occurrence_leaves_the_rest_of_the_series(app, make_event):
    event_id = make_event(
        day=date(2030, 1, 8), frequency="MONTHLY", interval=3, until=date(2030, 12, 31)
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
        db.session.commit()
    found = all_of(app, event_id)
    moved = found[1]
    assert (moved.key, moved.status) == ("2030-04-09", "moved")
    assert local(moved.starts_at) == datetime(2030, 4, 16, 10, tzinfo=local_zone())
    assert moved.location == "Hovedbiblioteket"
    assert moved.moved_from == utc(2030, 4, 9, 11)
    others = [found[0], *found[2:]]
    assert {o.status for o in others} == {"planned"}
    assert {o.location for o in others} == {"Københavns Rådhus"}
    assert {local(o.starts_at).time() for o in others} == {time(13)}


def test_an_occurrence_moved_into_another_month_shows_there(app, make_event):
    event_id = make_event(day=date(2030, 1, 8), frequency="MONTHLY", interval=3)
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.move(
            event, date(2030, 4, 9), date(2030, 5, 2), time(13), time(15), "", event.sequence, None
        )
        db.session.commit()
        april = [
            o
            for week in listing.month_grid(2030, 4)
            for d in week
            for o in d.occurrences
            if d.in_month
        ]
        may = [
            o
            for week in listing.month_grid(2030, 5)
            for d in week
            for o in d.occurrences
            if d.in_month
        ]
    assert april == []
    assert [(o.key, local(o.starts_at).date()) for o in may] == [("2030-04-09", date(2030, 5, 2))]


def test_a_cancelled_occurrence_stays_visible_with_its_reason(app, client, make_event):
    event_id = make_event(
        day=date(2030, 1, 8), frequency="MONTHLY", interval=3, until=date(2030, 12, 31)
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, date(2030, 7, 9), "Sommerferie.", event.sequence, None)
        db.session.commit()
    found = all_of(app, event_id)
    assert [o.status for o in found] == ["planned", "planned", "cancelled", "planned"]
    assert found[2].cancel_reason == "Sommerferie."
    page = BeautifulSoup(client.get(f"/kalender/{event_id}/2030-07-09").data, "html.parser")
    assert "Aflyst" in page.h1.get_text()
    assert "Sommerferie." in page.select_one(".status-banner").get_text()
    grid = client.get("/kalender/maaned/2030/7").get_data(as_text=True)
    assert "Aflyst" in grid and f"/kalender/{event_id}/2030-07-09" in grid


def test_cancelling_the_series_cancels_every_occurrence(app, make_event):
    event_id = make_event(day=date(2030, 1, 8), frequency="WEEKLY", until=date(2030, 1, 29))
    with app.app_context():
        event = db.session.get(Event, event_id)
        services.cancel(event, None, "Erstattes af et nyt forløb.", event.sequence, None)
        db.session.commit()
    assert {o.status for o in all_of(app, event_id)} == {"cancelled"}
