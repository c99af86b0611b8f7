"""Mail to registered people, received by a real SMTP server (aiosmtpd): confirmed with an
invitation, waitlisted without one, moved up, moved and cancelled, each once, and the .ics
attachment carries the feed's UID and SEQUENCE."""

from __future__ import annotations

from datetime import date, time, timedelta
from email.message import EmailMessage

import icalendar
import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.calendar import loading, registrations, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import REGISTERED, Event, Registration
from portal.extensions import db
from portal.mail import delivery
from portal.timeutil import local
from portal.transaction import transaction
from tests.calendar.conftest import soon
from tests.conftest import csrf_token


@pytest.fixture
def app_config(smtp):
    return {**smtp.config(), "BASE_URL": "http://portal.example"}


def register(app, event_id, user, day=None) -> None:
    with app.app_context(), transaction():
        occurrence = loading.get_occurrence(event_id, day)
        registrations.register(occurrence, db.session.get(User, user.id), "BIF")


def unregister(app, event_id, user, day=None) -> None:
    with app.app_context(), transaction():
        occurrence = loading.get_occurrence(event_id, day)
        registrations.unregister(occurrence, db.session.get(User, user.id))


def move(app, event_id, day=None, new_day=None, location="Hovedbiblioteket") -> None:
    with app.app_context(), transaction():
        event = db.session.get(Event, event_id)
        services.move(
            event, day, new_day or soon(31), time(9), time(11), location, event.sequence, None
        )


def cancel(app, event_id, day=None) -> None:
    with app.app_context(), transaction():
        event = db.session.get(Event, event_id)
        services.cancel(event, day, "Oplægsholderen er syg.", event.sequence, None)


def to(message: EmailMessage) -> str:
    return message["To"].addresses[0].addr_spec


def text(message: EmailMessage) -> str:
    """The plain text. The test server parses what it receives as a string, so an 8-bit
    UTF-8 part is already text there (``get_content`` would decode it a second time)."""
    part = message.get_body(("plain",))
    if part["Content-Transfer-Encoding"] == "8bit":
        return part.get_payload()
    return part.get_content()


def invitation(message: EmailMessage) -> icalendar.Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_content())


def attachment_method(message: EmailMessage) -> str:
    [part] = list(message.iter_attachments())
    return part.get_param("method")


def feed_vevent(client, uid: str, day: date | None = None) -> icalendar.Event:
    """The VEVENT of ``uid`` in the public feed (the moved date of a series: its RECURRENCE-ID)."""
    cal = icalendar.Calendar.from_ical(client.get("/kalender.ics").data)
    for vevent in cal.walk("VEVENT"):
        if str(vevent["UID"]) != uid:
            continue
        recurrence = vevent.get("RECURRENCE-ID")
        if (recurrence.dt.date() if recurrence else None) == day:
            return vevent
    raise AssertionError(f"{uid} {day} not in the feed")


def uid_of(app, event_id) -> str:
    with app.app_context():
        return db.session.get(Event, event_id).uid


def test_registration_mails_a_confirmation_once_with_the_feeds_invitation(
    app, client, smtp, make_event, make_user
):
    event_id = make_event(capacity=10)
    anna = make_user(email="anna@example.com", name="Anna Ærø")
    register(app, event_id, anna)
    [message] = smtp.received
    assert to(message) == "anna@example.com"
    assert message["Subject"] == "Du er tilmeldt: Netværksmøde for kontaktpersoner"
    body = text(message)
    assert "Hej Anna Ærø" in body and "Københavns Rådhus" in body
    assert f"http://portal.example/kalender/{event_id}" in body
    assert attachment_method(message) == "REQUEST"
    cal = invitation(message)
    assert str(cal["METHOD"]) == "REQUEST"
    [vevent] = cal.walk("VEVENT")
    feed = feed_vevent(client, uid_of(app, event_id))
    assert str(vevent["UID"]) == str(feed["UID"])
    assert vevent["SEQUENCE"] == feed["SEQUENCE"]
    assert vevent["DTSTART"].dt == feed["DTSTART"].dt
    assert "anna@example.com" in str(vevent["ATTENDEE"]) and vevent.get("ORGANIZER")

    with app.app_context():  # sending again sends nothing twice
        delivery.deliver_due()
    assert len(smtp.received) == 1


def test_a_full_meeting_puts_on_the_waitlist_without_an_invitation_and_moving_up_mails(
    app, client, smtp, make_event, make_user
):
    event_id = make_event(capacity=1)
    first, second = make_user(email="first@example.com"), make_user(email="second@example.com")
    register(app, event_id, first)
    register(app, event_id, second)
    waitlisted = smtp.received[1]
    assert to(waitlisted) == "second@example.com"
    assert waitlisted["Subject"].startswith("Du står på venteliste")
    assert "som nummer 1" in text(waitlisted)
    assert list(waitlisted.iter_attachments()) == []

    unregister(app, event_id, first)
    assert len(smtp.received) == 4  # the cancellation to who left, the seat to who waited
    [promoted] = [m for m in smtp.received[2:] if to(m) == "second@example.com"]
    assert to(promoted) == "second@example.com"
    assert promoted["Subject"].startswith("Du har fået en plads")
    [vevent] = invitation(promoted).walk("VEVENT")
    assert str(vevent["UID"]) == uid_of(app, event_id)


def test_moving_raises_the_sequence_and_mails_everyone_registered_but_not_who_left(
    app, client, smtp, make_event, make_user
):
    event_id = make_event()
    people = [make_user(email=f"p{n}@example.com") for n in range(3)]
    for person in people:
        register(app, event_id, person)
    unregister(app, event_id, people[2])
    [left] = [m for m in smtp.received if m["Subject"].startswith("Du er afmeldt")]
    assert to(left) == "p2@example.com" and attachment_method(left) == "CANCEL"
    [vevent] = invitation(left).walk("VEVENT")
    assert str(vevent["UID"]) == uid_of(app, event_id)  # Outlook removes the entry it added
    before = feed_vevent(client, uid_of(app, event_id))["SEQUENCE"]
    smtp.received.clear()

    move(app, event_id)
    assert sorted(to(m) for m in smtp.received) == ["p0@example.com", "p1@example.com"]
    feed = feed_vevent(client, uid_of(app, event_id))
    assert feed["SEQUENCE"] > before
    for message in smtp.received:
        assert message["Subject"] == "Mødet er flyttet: Netværksmøde for kontaktpersoner"
        assert "Hovedbiblioteket" in text(message)
        cal = invitation(message)
        assert str(cal["METHOD"]) == "REQUEST"
        [vevent] = cal.walk("VEVENT")
        assert (vevent["UID"], vevent["SEQUENCE"]) == (feed["UID"], feed["SEQUENCE"])
        assert vevent["DTSTART"].dt == feed["DTSTART"].dt
        assert str(vevent["LOCATION"]) == "Hovedbiblioteket"

    with app.app_context():
        delivery.deliver_due()
    assert len(smtp.received) == 2  # each once


def test_an_editors_change_of_time_or_place_mails_but_a_new_title_does_not(
    app, client, smtp, make_event, make_user
):
    event_id = make_event()
    register(app, event_id, make_user(email="deltager@example.com"))
    smtp.received.clear()

    def save(**changes):
        with app.app_context(), transaction():
            event = db.session.get(Event, event_id)
            data = EventData(
                title=event.title,
                kind=event.kind,
                administration=event.administration,
                day=local(event.starts_at).date(),
                start=local(event.starts_at).time(),
                end=local(event.ends_at).time(),
                location=event.location,
                description=event.description_source,
            )
            for name, value in changes.items():
                setattr(data, name, value)
            services.update_event(event, data, event.sequence, None)

    save(title="Nyt navn")
    assert smtp.received == []
    save(location="Jobcenter Amager")
    [message] = smtp.received
    assert to(message) == "deltager@example.com"
    [vevent] = invitation(message).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "Jobcenter Amager"
    assert str(vevent["SUMMARY"]) == "Nyt navn"
    assert vevent["SEQUENCE"] == feed_vevent(client, uid_of(app, event_id))["SEQUENCE"]


def test_cancelling_sends_method_cancel_to_each_registered_person(
    app, client, smtp, make_event, make_user
):
    event_id = make_event(capacity=1)
    register(app, event_id, make_user(email="seat@example.com"))
    register(app, event_id, make_user(email="wait@example.com"))
    smtp.received.clear()

    cancel(app, event_id)
    by_address = {to(m): m for m in smtp.received}
    assert sorted(by_address) == ["seat@example.com", "wait@example.com"]
    seat = by_address["seat@example.com"]
    assert seat["Subject"] == "Mødet er aflyst: Netværksmøde for kontaktpersoner"
    assert "Oplægsholderen er syg." in text(seat)
    assert attachment_method(seat) == "CANCEL"
    cal = invitation(seat)
    assert str(cal["METHOD"]) == "CANCEL"
    [vevent] = cal.walk("VEVENT")
    feed = feed_vevent(client, uid_of(app, event_id))
    assert (vevent["UID"], vevent["SEQUENCE"]) == (feed["UID"], feed["SEQUENCE"])
    assert str(vevent["STATUS"]) == "CANCELLED"
    # The waitlisted person is told, without an entry to remove.
    assert list(by_address["wait@example.com"].iter_attachments()) == []


def test_one_date_of_a_series_moved_mails_only_its_people_with_its_recurrence_id(
    app, client, smtp, make_event, make_user
):
    first = soon(10)
    second = first + timedelta(days=7)
    event_id = make_event(day=first, frequency="WEEKLY", until=first + timedelta(days=21))
    register(app, event_id, make_user(email="one@example.com"), first)
    register(app, event_id, make_user(email="two@example.com"), second)
    [confirmation] = [m for m in smtp.received if to(m) == "two@example.com"]
    [vevent] = invitation(confirmation).walk("VEVENT")
    assert vevent["RECURRENCE-ID"].dt.date() == second  # that date, not the whole series
    assert "RRULE" not in vevent
    smtp.received.clear()

    move(app, event_id, second, second + timedelta(days=1))
    [message] = smtp.received
    assert to(message) == "two@example.com"
    [vevent] = invitation(message).walk("VEVENT")
    feed = feed_vevent(client, uid_of(app, event_id), second)
    assert (vevent["UID"], vevent["SEQUENCE"]) == (feed["UID"], feed["SEQUENCE"])
    assert vevent["RECURRENCE-ID"].dt == feed["RECURRENCE-ID"].dt
    assert vevent["DTSTART"].dt == feed["DTSTART"].dt

    cancel(app, event_id, first)
    [_, cancelled] = smtp.received
    assert to(cancelled) == "one@example.com" and attachment_method(cancelled) == "CANCEL"


def test_registering_through_the_page_mails_after_the_request_commits(
    app, client, smtp, auth, make_event, make_user
):
    event_id = make_event()
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    token = csrf_token(client, f"/kalender/{event_id}")
    client.post(
        f"/kalender/{event_id}/tilmeld", data={"csrf_token": token, "administration": "SOF"}
    )
    assert [to(m) for m in smtp.received] == ["sara@example.com"]

    # Refused (already registered): rolled back, nothing more is sent.
    client.post(
        f"/kalender/{event_id}/tilmeld", data={"csrf_token": token, "administration": "SOF"}
    )
    assert len(smtp.received) == 1


def test_erasing_a_person_with_a_seat_moves_the_waitlist_up_and_mails_who_moved(
    app, client, smtp, make_event, make_user
):
    event_id = make_event(capacity=1)
    gone, waiting = make_user(email="gone@example.com"), make_user(email="wait@example.com")
    register(app, event_id, gone)
    register(app, event_id, waiting)
    smtp.received.clear()
    with app.app_context(), transaction():  # as contacts.privacy.erase deletes the user row
        db.session.delete(db.session.get(User, gone.id))
        db.session.flush()
    with app.app_context():
        [registration] = db.session.scalars(sa.select(Registration)).all()
        assert (registration.user_id, registration.status) == (waiting.id, REGISTERED)
    [message] = smtp.received
    assert to(message) == "wait@example.com"
    assert message["Subject"].startswith("Du har fået en plads")
    assert attachment_method(message) == "REQUEST"
