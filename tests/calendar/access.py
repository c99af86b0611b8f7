"""The calendar's rows for tests/test_access_matrix.py."""

from datetime import time, timedelta

from portal import timeutil
from portal.calendar import services
from portal.calendar.eventdata import EventData
from portal.extensions import db

ROLES = ["anon", "staff", "contact", "editor", "admin"]
EVERYONE = dict.fromkeys(ROLES, 200)
EDITORS = {"anon": 302, "staff": 403, "contact": 403, "editor": 200, "admin": 200}


def editors(status: int) -> dict[str, int]:
    """Editors get ``status`` (an empty form: 400); anonymous users go to the login page."""
    return {**EDITORS, "editor": status, "admin": status}


def logged_in(status: int) -> dict[str, int]:
    return {"anon": 302, **dict.fromkeys(ROLES[1:], status)}


EXPECTED = {
    ("calendar.index", "GET"): ("/kalender/?type=kursus&forvaltning=BIF", EVERYONE),
    ("calendar.past", "GET"): ("/kalender/tidligere", EVERYONE),
    ("calendar.month", "GET"): ("/kalender/maaned/2030/1", EVERYONE),
    ("calendar.event", "GET"): ("/kalender/{cal_series}", EVERYONE),
    ("calendar.occurrence", "GET"): ("/kalender/{cal_series}/{cal_day}", EVERYONE),
    ("calendar.feed", "GET"): ("/kalender.ics?forvaltning=SOF", EVERYONE),
    ("calendar.event_ics", "GET"): ("/kalender/{cal_event}.ics", EVERYONE),
    # Registration needs a login (any role); an empty form is refused with Danish errors.
    ("calendar.register", "POST"): ("/kalender/{cal_event}/tilmeld", logged_in(400)),
    # Not registered: told so on the meeting's page.
    ("calendar.unregister", "POST"): ("/kalender/{cal_series}/{cal_day}/afmeld", logged_in(302)),
    # The organiser (none here) and the editors.
    ("calendar.participants", "GET"): ("/kalender/{cal_series}/{cal_day}/deltagere", EDITORS),
    ("calendar.participants_csv", "GET"): ("/kalender/{cal_event}/deltagere.csv", EDITORS),
    # The person's own feed addresses; making new ones needs a login.
    ("calendar.subscription", "GET"): ("/kalender/abonnement", logged_in(200)),
    ("calendar.renew", "POST"): ("/kalender/abonnement/nyt-link", logged_in(303)),
    # A personal feed: the token is the login; nobody's token is a 404 for everyone.
    ("calendar.token_feed", "GET"): ("/kalender/" + "A" * 43 + ".ics", dict.fromkeys(ROLES, 404)),
    ("calendar.token_mine", "GET"): (
        "/kalender/" + "A" * 43 + "/mine.ics",
        dict.fromkeys(ROLES, 404),
    ),
    ("calendar.new", "GET"): ("/kalender/ny", EDITORS),
    ("calendar.new", "POST"): ("/kalender/ny", editors(400)),
    ("calendar.edit", "GET"): ("/kalender/{cal_event}/rediger", EDITORS),
    ("calendar.edit", "POST"): ("/kalender/{cal_event}/rediger", editors(400)),
    ("calendar.move", "GET"): ("/kalender/{cal_series}/{cal_day}/flyt", EDITORS),
    ("calendar.move", "POST"): ("/kalender/{cal_event}/flyt", editors(400)),
    ("calendar.cancel", "GET"): ("/kalender/{cal_event}/aflys", EDITORS),
    ("calendar.cancel", "POST"): ("/kalender/{cal_series}/{cal_day}/aflys", editors(400)),
    # Without the confirmation box: back to the form (303), nothing deleted.
    ("calendar.delete", "POST"): ("/kalender/{cal_event}/slet", editors(303)),
}


def prepare(app) -> dict:
    day = timeutil.local_now().date() + timedelta(days=30)
    common = {
        "kind": "network",
        "administration": "both",
        "start": time(13),
        "end": time(15),
        "location": "Københavns Rådhus",
    }
    with app.app_context():
        event = services.create_event(
            EventData(title="Et møde", day=day, capacity=10, **common), None
        )
        series = services.create_event(
            EventData(title="En serie", day=day, frequency="WEEKLY", **common), None
        )
        db.session.commit()
        return {"cal_event": event.id, "cal_series": series.id, "cal_day": day.isoformat()}
