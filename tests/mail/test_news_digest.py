"""News "til videreformidling": a weekly digest to contact persons of what they have not
passed on yet; once a week, nothing when there is nothing new, never after opting out."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.mail import preferences
from portal.news.models import NewsItem, NewsPassedOn


@pytest.fixture
def app_config(smtp):
    return smtp.config()


def publish(app, slug: str, pass_on: bool = True, hours_ago: int = 1) -> int:
    with app.app_context():
        item = NewsItem(
            slug=slug,
            title=f"Nyhed {slug}",
            summary=f"Kort om {slug}.",
            status="published",
            published_at=utcnow() - timedelta(hours=hours_ago),
            pass_on=pass_on,
        )
        db.session.add(item)
        db.session.commit()
        return item.id


def run_jobs(app) -> None:
    result = app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0, result.output


def test_contact_persons_get_one_digest_of_what_to_pass_on(app, make_user, smtp, monkeypatch):
    contact = make_user("contact", email="kontakt@example.com")
    make_user("staff", email="medarbejder@example.com")  # not a contact person: no digest
    publish(app, "a")
    publish(app, "b", pass_on=False)  # not for passing on
    publish(app, "gammel", hours_ago=24 * 8)  # older than the first week
    run_jobs(app)
    run_jobs(app)
    [message] = smtp.received
    assert message["To"].addresses[0].addr_spec == "kontakt@example.com"
    assert message["List-Unsubscribe"]
    text = message.get_body(("plain",)).get_content()
    assert "Nyhed a" in text and "Nyhed b" not in text and "Nyhed gammel" not in text
    assert "http://localhost:5000/nyheder/a" in text

    publish(app, "c", hours_ago=0)
    later = utcnow() + timedelta(days=8)  # next week
    monkeypatch.setattr("portal.news.digest.utcnow", lambda: later)
    monkeypatch.setattr("portal.news.digest.local_today", lambda: later.date())
    with app.app_context():  # opting out stops the next one
        preferences.choose(db.session.get(User, contact.id), set())
        db.session.commit()
    run_jobs(app)
    assert len(smtp.received) == 1
    with app.app_context():
        preferences.choose(db.session.get(User, contact.id), {"news_digest"})
        db.session.commit()
    run_jobs(app)
    [_, second] = smtp.received
    text = second.get_body(("plain",)).get_content()
    assert "Nyhed c" in text and "Nyhed a" not in text  # only what came since the last one


def test_items_already_passed_on_are_left_out_and_nothing_new_sends_nothing(app, make_user, smtp):
    contact = make_user("contact", email="kontakt@example.com")
    item_id = publish(app, "a")
    with app.app_context():
        db.session.add(NewsPassedOn(news_id=item_id, user_id=contact.id))
        db.session.commit()
    run_jobs(app)
    assert smtp.received == []
