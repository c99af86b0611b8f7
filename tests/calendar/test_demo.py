"""Demo meetings: a year of the special unit's meetings, marked as demo data, created once."""

from datetime import date

import sqlalchemy as sa

from portal.auth.models import User
from portal.calendar import demo, occurrences
from portal.calendar.models import SPECIAL_UNIT, Event
from portal.cli import setup_steps
from portal.extensions import db
from tests.calendar.conftest import soon


def test_demo_step_runs_only_with_demo(app):
    assert "Kalender (demo)" in [s.name for s in setup_steps(app, demo=True)]
    assert "Kalender (demo)" not in [s.name for s in setup_steps(app, demo=False)]


def test_demo_year_of_meetings(app):
    today = soon(0)
    with app.app_context():
        report = demo.create_demo_events(today)
        db.session.commit()
        assert report.startswith("7 demomøder")
        events = db.session.scalars(sa.select(Event)).all()
        assert all(e.is_demo and e.organiser_name == SPECIAL_UNIT for e in events)
        by_kind = {}
        for event in events:
            by_kind.setdefault(event.kind, []).append(event)
        assert sorted(by_kind) == ["coordination", "course", "network", "talk", "team_leaders"]
        # Network and team-leader meetings every third month for a year: four of each.
        for kind in ("network", "team_leaders"):
            (series,) = by_kind[kind]
            assert "FREQ=MONTHLY;INTERVAL=3" in series.rrule
            found = occurrences.between(
                series, series.starts_at, series.starts_at.replace(year=series.starts_at.year + 2)
            )
            assert len(found) == 4
            assert found[0].starts_at.date() > today
        assert len(by_kind["talk"]) == 3
        assert "Rådgivningscenter" in by_kind["coordination"][0].location
        # One moved occurrence and one cancelled talk show what the calendar can do.
        assert [c.status for c in by_kind["team_leaders"][0].changes] == ["moved"]
        assert [e.status for e in by_kind["talk"]].count("cancelled") == 1
        # No people are invented.
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
        assert demo.create_demo_events(today) == "findes allerede"


def test_demo_pages_render(app, client):
    with app.app_context():
        demo.create_demo_events(date(2030, 1, 2))
        db.session.commit()
        ids = db.session.scalars(sa.select(Event.id)).all()
    for event_id in ids:
        assert client.get(f"/kalender/{event_id}").status_code == 200
    page = client.get("/kalender/maaned/2030/2").get_data(as_text=True)
    assert "Netværksmøde for BIF-SOF-kontaktpersoner" in page
