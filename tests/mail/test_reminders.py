"""Stale-profile reminders: after PROFILE_STALE_DAYS, then every 30 days, at most 3 times, then
the editors are told; the mail's one-click link confirms only by POST, once, until it expires."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from portal.contacts import invitations, units
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from portal.mail import preferences
from tests.conftest import csrf_token

LINK = re.compile(r"https?://\S+/min-profil/bekraeft/\S+")


@pytest.fixture
def app_config(smtp):
    return {**smtp.config(), "MAIL_EDITORS": "specialenheden@example.com"}


@pytest.fixture
def stale(app):
    """A contact person whose profile was confirmed ``days`` ago; returns the profile id."""

    def make(days: int, email: str = "kontakt@example.com") -> int:
        with app.app_context():
            units.ensure("SOF", "Rådgivningscenter København", "Team A")
            profile = invitations.create_contact(
                {
                    "name": "Karen Kontakt",
                    "email": email,
                    "administration": "SOF",
                    "centre": "Rådgivningscenter København",
                    "team": "Team A",
                },
                actor=None,
            )
            profile.confirmed_at = utcnow() - timedelta(days=days)
            db.session.commit()
            return profile.id

    return make


def run_jobs(app) -> str:
    result = app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0, result.output
    return result.output


def reminders(smtp) -> list:
    return [m for m in smtp.received if m["Subject"].startswith("Er dine oplysninger")]


def confirmed_at(app, profile_id: int):
    with app.app_context():
        return db.session.get(ContactProfile, profile_id).confirmed_at


def test_no_mail_before_the_profile_is_stale(app, stale, smtp):
    stale(100)  # PROFILE_STALE_DAYS is 180
    run_jobs(app)
    assert smtp.received == []


def test_a_stale_profile_gets_one_reminder_per_period_then_the_editors_are_told(
    app, stale, smtp, monkeypatch
):
    stale(181)
    run_jobs(app)
    run_jobs(app)  # twice the same day: one reminder
    [first] = reminders(smtp)
    assert first["To"].addresses[0].addr_spec == "kontakt@example.com"
    assert first["List-Unsubscribe"] == "<http://localhost:5000/min-konto/e-mail>"

    for days in (30, 60, 90):  # the job runs again 30, 60 and 90 days later
        later = utcnow() + timedelta(days=days)
        for module in ("portal.contacts.reminders", "portal.contacts.profiles"):
            monkeypatch.setattr(f"{module}.utcnow", lambda later=later: later)
        run_jobs(app)
    assert len(reminders(smtp)) == 3  # at most three
    told = [m for m in smtp.received if m["To"].addresses[0].addr_spec.startswith("special")]
    assert len(told) == 1 and "Karen Kontakt" in told[0]["Subject"]
    run_jobs(app)
    assert len(smtp.received) == 4  # nothing more


def test_the_one_click_link_confirms_by_post_only_and_only_once(app, client, stale, smtp):
    profile_id = stale(200)
    before = confirmed_at(app, profile_id)
    run_jobs(app)
    [message] = reminders(smtp)
    path = urlsplit(LINK.search(message.get_body(("plain",)).get_content()).group()).path

    page = client.get(path)  # what a mail scanner does
    assert page.status_code == 200 and "Karen Kontakt" in page.get_data(as_text=True)
    assert confirmed_at(app, profile_id) == before

    assert client.post(path, data={}).status_code == 400  # no CSRF token: nothing
    assert confirmed_at(app, profile_id) == before

    token = csrf_token(client, path)
    done = client.post(path, data={"csrf_token": token})
    assert "dine oplysninger er bekræftet" in done.get_data(as_text=True)
    assert confirmed_at(app, profile_id) > before

    again = client.post(path, data={"csrf_token": token})
    assert again.status_code == 400 and "allerede brugt" in again.get_data(as_text=True)


def test_the_link_expires_and_a_forged_one_does_nothing(app, client, stale, smtp, monkeypatch):
    profile_id = stale(200)
    before = confirmed_at(app, profile_id)
    run_jobs(app)
    [message] = reminders(smtp)
    path = urlsplit(LINK.search(message.get_body(("plain",)).get_content()).group()).path

    forged = client.get(path[:-3] + "xyz")
    assert forged.status_code == 400 and "ikke gyldigt" in forged.get_data(as_text=True)

    import itsdangerous.timed

    later = itsdangerous.timed.time.time() + 31 * 24 * 3600
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    expired = client.get(path)
    assert expired.status_code == 400 and "udløbet" in expired.get_data(as_text=True)
    assert confirmed_at(app, profile_id) == before


def test_a_person_who_turned_reminders_off_gets_none_but_the_editors_are_still_told(
    app, stale, smtp
):
    profile_id = stale(181 + 90)
    with app.app_context():
        user = db.session.get(ContactProfile, profile_id).user
        preferences.choose(user, set())
        db.session.commit()
    run_jobs(app)
    assert reminders(smtp) == []
    assert [m["To"].addresses[0].addr_spec for m in smtp.received] == ["specialenheden@example.com"]


def test_links_in_mail_from_a_job_use_the_base_url(app, smtp):
    # What PORTAL_BASE_URL sets when the app is made (config._use_base_url).
    app.config.update(
        BASE_URL="https://portal.kk.example",
        SERVER_NAME="portal.kk.example",
        PREFERRED_URL_SCHEME="https",
    )
    with app.app_context():
        units.ensure("SOF", "Rådgivningscenter København", "Team A")
        profile = invitations.create_contact(
            {"name": "Karen", "email": "k@example.com", "administration": "SOF"}, actor=None
        )
        profile.confirmed_at = utcnow() - timedelta(days=200)
        db.session.commit()
    run_jobs(app)
    text = smtp.received[0].get_body(("plain",)).get_content()
    links = re.findall(r"https?://\S+", text)
    assert links and all(link.startswith("https://portal.kk.example/") for link in links)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactProfile)) == 1
