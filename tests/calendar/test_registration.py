"""Registration: seats, the waitlist that moves up, the deadline, and two users racing for the
last seat."""

import threading
from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal import timeutil
from portal.auth.models import User
from portal.calendar import loading, registrations, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import REGISTERED, WAITLISTED, Registration
from portal.db import utcnow
from portal.errors import ValidationError
from portal.extensions import db
from portal.timeutil import at_local
from tests.conftest import csrf_token


def register(app, event_id, user, day=None, administration="BIF"):
    with app.app_context():
        occurrence = loading.get_occurrence(event_id, day)
        registration = registrations.register(
            occurrence, db.session.get(User, user.id), administration, "Jobcenter Amager"
        )
        db.session.commit()
        return registration.status


def unregister(app, event_id, user, day=None):
    with app.app_context():
        occurrence = loading.get_occurrence(event_id, day)
        promoted = registrations.unregister(occurrence, db.session.get(User, user.id))
        db.session.commit()
        return [r.user_id for r in promoted]


def statuses(app, event_id) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Registration.user_id, Registration.status).where(
                Registration.event_id == event_id
            )
        )
        return dict(rows.all())


def test_seats_fill_up_then_the_waitlist(app, make_event, make_user):
    event_id = make_event(capacity=2)
    a, b, c, d = (make_user() for _ in range(4))
    assert [register(app, event_id, u) for u in (a, b, c, d)] == [
        REGISTERED,
        REGISTERED,
        WAITLISTED,
        WAITLISTED,
    ]
    with app.app_context():
        occurrence = loading.get_occurrence(event_id, None)
        seats = registrations.seats(occurrence)
        assert (seats.taken, seats.waiting, seats.free, seats.full) == (2, 2, 0, True)
        waiting = db.session.scalar(sa.select(Registration).where(Registration.user_id == d.id))
        assert registrations.waitlist_position(waiting) == 2


def test_the_first_on_the_waitlist_moves_up_when_someone_cancels(app, make_event, make_user):
    event_id = make_event(capacity=1)
    a, b, c = (make_user() for _ in range(3))
    for user in (a, b, c):
        register(app, event_id, user)
    assert unregister(app, event_id, a) == [b.id]
    assert statuses(app, event_id) == {b.id: REGISTERED, c.id: WAITLISTED}
    # Leaving the waitlist frees no seat: nobody moves.
    assert unregister(app, event_id, c) == []
    assert statuses(app, event_id) == {b.id: REGISTERED}


def test_more_seats_move_the_waitlist_up(app, make_event, make_user):
    event_id = make_event(capacity=1)
    users = [make_user() for _ in range(3)]
    for user in users:
        register(app, event_id, user)
    with app.app_context():
        event = loading.get_event(event_id)
        start, end = timeutil.local(event.starts_at), timeutil.local(event.ends_at)
        data = EventData(
            title=event.title,
            kind=event.kind,
            administration=event.administration,
            day=start.date(),
            start=start.time(),
            end=end.time(),
            location=event.location,
            capacity=2,
        )
        services.update_event(event, data, event.sequence, None)
        db.session.commit()
    assert statuses(app, event_id) == {
        users[0].id: REGISTERED,
        users[1].id: REGISTERED,
        users[2].id: WAITLISTED,
    }


def test_without_capacity_there_is_no_waitlist(app, make_event, make_user):
    event_id = make_event(capacity=None)
    assert {register(app, event_id, make_user()) for _ in range(5)} == {REGISTERED}


def test_registration_closes_at_the_deadline(app, make_event, make_user):
    open_id = make_event(deadline=utcnow() + timedelta(hours=1))
    closed_id = make_event(deadline=utcnow() - timedelta(minutes=1))
    user = make_user()
    assert register(app, open_id, user) == REGISTERED
    with pytest.raises(ValidationError, match="Tilmeldingsfristen er overskredet"):
        register(app, closed_id, user)
    assert statuses(app, closed_id) == {}


def test_a_series_deadline_applies_to_each_occurrence(app, make_event, make_user):
    from tests.calendar.conftest import soon

    first = soon(2)
    event_id = make_event(
        day=first,
        frequency="WEEKLY",
        until=first + timedelta(days=7),
        deadline=at_local(first - timedelta(days=3), time(12)),
    )
    user = make_user()
    with pytest.raises(ValidationError, match="fristen"):
        register(app, event_id, user, day=first)  # three days before: passed
    assert register(app, event_id, user, day=first + timedelta(days=7)) == REGISTERED


def test_no_registration_for_a_cancelled_or_past_meeting_or_twice(app, make_event, make_user):
    user = make_user()
    event_id = make_event()
    assert register(app, event_id, user) == REGISTERED
    with pytest.raises(ValidationError, match="allerede tilmeldt"):
        register(app, event_id, user)
    with app.app_context():
        event = loading.get_event(event_id)
        services.cancel(event, None, "Lokalet er ikke ledigt.", event.sequence, None)
        db.session.commit()
    with pytest.raises(ValidationError, match="aflyst"):
        register(app, event_id, make_user())
    past_id = make_event(day=timeutil.local_now().date() - timedelta(days=3))
    with pytest.raises(ValidationError, match="holdt"):
        register(app, past_id, user)


def test_unit_with_a_cpr_number_is_refused(app, make_event, make_user):
    event_id = make_event()
    user = make_user()
    with app.app_context(), pytest.raises(ValidationError, match="CPR"):
        occurrence = loading.get_occurrence(event_id, None)
        registrations.register(occurrence, db.session.get(User, user.id), "SOF", "0101901234")


def test_two_users_racing_for_the_last_seat(app, make_event, make_user, monkeypatch):
    """The first user stops right after counting the seats, holding the event's lock. The
    second must then wait: if it could count too, it would see a free seat and both would get
    it. Once the first commits, the second counts again and goes on the waitlist."""
    event_id = make_event(capacity=1)
    first_user, second_user = make_user(), make_user()
    counted, release, second_done = threading.Event(), threading.Event(), threading.Event()
    real_count = registrations.seats_taken
    results, errors = {}, []

    def count_then_wait(event, key):
        taken = real_count(event, key)
        if threading.current_thread().name == "first":
            counted.set()
            release.wait(timeout=30)
        return taken

    monkeypatch.setattr(registrations, "seats_taken", count_then_wait)

    def attempt(user):
        try:
            results[user.id] = register(app, event_id, user)
        except Exception as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            if threading.current_thread().name == "second":
                second_done.set()

    first = threading.Thread(target=attempt, args=(first_user,), name="first")
    second = threading.Thread(target=attempt, args=(second_user,), name="second")
    first.start()
    assert counted.wait(timeout=30)
    second.start()
    # While the first holds the lock, the second cannot finish (it would have within this
    # wait if nothing held it back); then let the first commit.
    assert not second_done.wait(timeout=1.0), "the second registration did not wait for the lock"
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not errors, errors
    assert results == {first_user.id: REGISTERED, second_user.id: WAITLISTED}


def test_many_users_racing_never_overbook(app, make_event, make_user):
    event_id = make_event(capacity=3)
    users = [make_user() for _ in range(8)]
    start = threading.Barrier(len(users))
    errors = []

    def attempt(user):
        start.wait(timeout=30)
        try:
            register(app, event_id, user)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    result = list(statuses(app, event_id).values())
    assert (result.count(REGISTERED), result.count(WAITLISTED)) == (3, 5)


# Through the browser's requests


def seat_count(client, event_id) -> str:
    page = BeautifulSoup(client.get(f"/kalender/{event_id}").data, "html.parser")
    return " ".join(page.select_one("#pladser").get_text().split())


def test_register_and_cancel_on_the_page(app, client, auth, make_event, make_user):
    event_id = make_event(capacity=2)
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    assert seat_count(client, event_id) == "0 af 2 pladser er optaget, 2 ledige."
    token = csrf_token(client, f"/kalender/{event_id}")
    response = client.post(
        f"/kalender/{event_id}/tilmeld",
        data={"csrf_token": token, "administration": "SOF", "unit": "Socialcenter Nord"},
        follow_redirects=True,
    )
    assert "Du er tilmeldt." in response.get_data(as_text=True)
    assert seat_count(client, event_id) == "1 af 2 pladser er optaget, 1 ledig."
    # The form remembers the administration and unit for next time.
    other = make_event(title="Introforløb")
    page = BeautifulSoup(client.get(f"/kalender/{other}").data, "html.parser")
    assert page.select_one("#administration option[selected]")["value"] == "SOF"
    assert page.select_one("#unit")["value"] == "Socialcenter Nord"
    token = csrf_token(client, f"/kalender/{event_id}")
    response = client.post(
        f"/kalender/{event_id}/afmeld", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Du er afmeldt." in response.get_data(as_text=True)
    assert seat_count(client, event_id) == "0 af 2 pladser er optaget, 2 ledige."


def test_full_meeting_offers_the_waitlist(app, client, auth, make_event, make_user):
    event_id = make_event(capacity=1)
    register(app, event_id, make_user())
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    page = BeautifulSoup(client.get(f"/kalender/{event_id}").data, "html.parser")
    assert page.select_one(".registration-form button").get_text() == "Skriv mig på ventelisten"
    token = csrf_token(client, f"/kalender/{event_id}")
    response = client.post(
        f"/kalender/{event_id}/tilmeld",
        data={"csrf_token": token, "administration": "BIF"},
        follow_redirects=True,
    )
    assert "Du står på ventelisten som nummer 1" in response.get_data(as_text=True)


def test_anonymous_cannot_register(app, client, make_event):
    event_id = make_event()
    page = BeautifulSoup(client.get(f"/kalender/{event_id}").data, "html.parser")
    assert page.select_one(".registration form") is None
    assert "Log ind for at tilmelde dig" in page.select_one(".registration").get_text()
    token = csrf_token(client, "/login")
    response = client.post(
        f"/kalender/{event_id}/tilmeld", data={"csrf_token": token, "administration": "BIF"}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert statuses(app, event_id) == {}


def test_registration_needs_the_csrf_token(app, client, auth, make_event, make_user):
    event_id = make_event()
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    response = client.post(f"/kalender/{event_id}/tilmeld", data={"administration": "BIF"})
    assert response.status_code == 400
    assert statuses(app, event_id) == {}


def test_closed_registration_is_explained_on_the_page(app, client, auth, make_event, make_user):
    event_id = make_event(deadline=utcnow() - timedelta(minutes=5))
    make_user(email="sara@example.com")
    auth.login("sara@example.com")
    page = BeautifulSoup(client.get(f"/kalender/{event_id}").data, "html.parser")
    assert "Tilmeldingsfristen er overskredet." in page.select_one(".registration").get_text()
    assert page.select_one(".registration-form") is None
    token = csrf_token(client, "/")
    response = client.post(
        f"/kalender/{event_id}/tilmeld", data={"csrf_token": token, "administration": "BIF"}
    )
    assert response.status_code == 400
    assert "Tilmeldingsfristen er overskredet" in response.get_data(as_text=True)
