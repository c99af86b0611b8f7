"""The calendar's pages are valid HTML (Nu HTML Checker), for visitors, participants and
editors, with form errors shown."""

from datetime import time, timedelta

import sqlalchemy as sa

from portal.auth.models import User
from portal.calendar import loading, registrations, services
from portal.extensions import db
from portal.mail.models import MailMessage
from portal.timeutil import at_local
from portal.transaction import transaction
from tests.calendar.conftest import soon
from tests.conftest import csrf_token
from tests.test_html_valid import check_html, vnu  # noqa: F401  (vnu is a fixture)


def test_calendar_pages_are_valid_html(app, client, auth, make_user, make_event, vnu, tmp_path):  # noqa: F811
    first = soon(10)
    single = make_event(capacity=1, deadline=at_local(first, time(9)))
    series = make_event(day=first, frequency="WEEKLY", until=first + timedelta(days=21))
    other = make_user()
    with app.app_context():
        registrations.register(
            loading.get_occurrence(single, None), db.session.get(User, other.id), "BIF"
        )
        event = loading.get_event(series)
        services.move(
            event,
            first + timedelta(days=7),
            first + timedelta(days=8),
            time(9),
            time(10),
            "Hovedbiblioteket",
            event.sequence,
            None,
        )
        services.cancel(event, first + timedelta(days=14), "Helligdag.", event.sequence, None)
        db.session.commit()
    day = first.isoformat()
    moved = (first + timedelta(days=7)).isoformat()
    cancelled = (first + timedelta(days=14)).isoformat()
    pages = {}
    for url in [
        "/kalender/",
        "/kalender/?type=netvaerksmoede&forvaltning=SOF",
        "/kalender/tidligere",
        f"/kalender/maaned/{first.year}/{first.month}",
        "/kalender/maaned/2030/2",
        f"/kalender/{single}",
        f"/kalender/{series}",
        f"/kalender/{series}/{day}",
        f"/kalender/{series}/{moved}",
        f"/kalender/{series}/{cancelled}",
    ]:
        pages[f"anonym {url}"] = client.get(url).get_data(as_text=True)
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    pages["medarbejder, fuldt møde"] = client.get(f"/kalender/{single}").get_data(as_text=True)
    token = csrf_token(client, f"/kalender/{series}/{day}")
    pages["tilmelding med fejl"] = client.post(
        f"/kalender/{series}/{day}/tilmeld", data={"csrf_token": token}
    ).get_data(as_text=True)
    client.post(
        f"/kalender/{series}/{day}/tilmeld", data={"csrf_token": token, "administration": "SOF"}
    )
    pages["tilmeldt"] = client.get(f"/kalender/{series}/{day}").get_data(as_text=True)
    pages["abonnement uden links"] = client.get("/kalender/abonnement").get_data(as_text=True)
    client.post("/kalender/abonnement/nyt-link", data={"csrf_token": token})
    pages["abonnement med links"] = client.get("/kalender/abonnement").get_data(as_text=True)
    assert "mine.ics" in pages["abonnement med links"]
    auth.logout()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    for url in [
        "/kalender/ny",
        f"/kalender/{single}/rediger",
        f"/kalender/{series}/rediger",
        f"/kalender/{single}/flyt",
        f"/kalender/{series}/{day}/flyt",
        f"/kalender/{single}/aflys",
        f"/kalender/{series}/aflys",
        f"/kalender/{single}/deltagere",
        f"/kalender/{single}",
    ]:
        pages[f"redaktør {url}"] = client.get(url).get_data(as_text=True)
    token = csrf_token(client, "/kalender/ny")
    pages["ny med fejl"] = client.post(
        "/kalender/ny", data={"csrf_token": token, "day": "x", "capacity": "-1"}
    ).get_data(as_text=True)
    pages["konflikt"] = client.post(
        f"/kalender/{single}/rediger",
        data={
            "csrf_token": token,
            "title": "T",
            "kind": "talk",
            "administration": "both",
            "day": day,
            "start": "10:00",
            "end": "11:00",
            "location": "Et sted",
            "version": "7",
        },
    ).get_data(as_text=True)
    assert "ændret af en anden" in pages["konflikt"]
    check_html(vnu, pages, tmp_path)


def test_registration_mails_are_valid_html(app, make_user, make_event, vnu, tmp_path):  # noqa: F811
    event_id = make_event(capacity=1)
    people = [make_user(), make_user(), make_user()]
    with app.app_context(), transaction():
        for person in people:
            occurrence = loading.get_occurrence(event_id, None)
            registrations.register(occurrence, db.session.get(User, person.id), "BIF")
        registrations.unregister(
            loading.get_occurrence(event_id, None), db.session.get(User, people[0].id)
        )
        event = loading.get_event(event_id)
        services.move(
            event, None, soon(40), time(9), time(10), "Et andet sted", event.sequence, None
        )
        services.cancel(event, None, "Sygdom.", event.sequence, None)
    with app.app_context():
        messages = db.session.scalars(sa.select(MailMessage)).all()
        kinds = {m.subject.split(":")[0] for m in messages}
        pages = {f"brev {m.key}": m.body_html for m in messages}
    assert kinds == {
        "Du er tilmeldt",
        "Du står på venteliste",
        "Du er afmeldt",
        "Du har fået en plads",
        "Mødet er flyttet",
        "Mødet er aflyst",
    }
    check_html(vnu, pages, tmp_path)
