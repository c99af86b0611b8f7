"""The outbox against a real SMTP server: sent after commit, never for a rolled-back change,
retried when the server is away, given up on a lasting refusal, each event once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import mail
from portal.db import utcnow
from portal.extensions import db
from portal.mail import delivery
from portal.mail.models import MailMessage
from portal.transaction import transaction


def queue_one(key: str = "test:1", to: str = "modtager@example.com", name: str = "Åse Ørum"):
    return mail.queue(
        key=key,
        kind="invitation",
        to=to,
        name=name,
        template="password_reset",
        subject="Ny adgangskode til BIF-SOF Portalen",
        context={"link": "https://portal.example/nulstil"},
    )


def rows(app) -> list[MailMessage]:
    with app.app_context():
        found = db.session.scalars(sa.select(MailMessage).order_by(MailMessage.id)).all()
        db.session.expunge_all()
        return list(found)


def make_due(app) -> None:
    """Time passes: every waiting message may be tried again."""
    with app.app_context(), transaction():
        db.session.execute(sa.update(MailMessage).values(next_attempt_at=utcnow()))


@pytest.fixture
def app_config(smtp):
    return smtp.config()


def test_a_committed_message_is_sent_once_with_text_html_and_utf8_headers(app, smtp):
    with app.app_context(), transaction():
        queue_one()
    assert len(smtp.received) == 1  # sent after commit (inline in tests)
    message = smtp.received[0]
    assert message["Subject"] == "Ny adgangskode til BIF-SOF Portalen"
    assert message["To"].addresses[0].display_name == "Åse Ørum"
    assert message["To"].addresses[0].addr_spec == "modtager@example.com"
    assert message.get_body(("plain",)).get_content().startswith("Hej Åse Ørum")
    assert "https://portal.example/nulstil" in message.get_body(("html",)).get_content()
    assert message["Message-ID"]
    [row] = rows(app)
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)

    with app.app_context(), transaction():  # the same event again: nothing new
        assert queue_one() is None
    with app.app_context():
        delivery.deliver_due()
    assert len(smtp.received) == 1


def test_a_rolled_back_change_sends_nothing(app, smtp):
    with pytest.raises(RuntimeError), app.app_context(), transaction():
        queue_one()
        raise RuntimeError("the change failed")
    with app.app_context():
        delivery.deliver_due()
    assert smtp.received == [] and rows(app) == []


def test_header_injection_through_a_name_or_subject_is_impossible(app, smtp):
    with app.app_context(), transaction():
        mail.queue(
            key="evil",
            kind="invitation",
            to="modtager@example.com",
            name="Eve\r\nBcc: spion@example.com",
            template="password_reset",
            subject="Hej\r\nBcc: spion@example.com",
            context={"link": "x"},
        )
    [message] = smtp.received
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"] and "\n" not in str(message["To"])
    assert message["Subject"] == "Hej Bcc: spion@example.com"


def test_an_unreachable_server_loses_nothing_and_the_job_sends_it_later(app, smtp_down):
    app.config.update(smtp_down.config())
    with app.app_context(), transaction():
        queue_one("a")
        queue_one("b")
    first, second = rows(app)
    assert (first.status, first.attempts) == ("pending", 1)
    assert "Forbindelsen til mailserveren fejlede" in first.last_error
    assert first.next_attempt_at > utcnow()
    assert second.attempts == 0  # the batch stopped: the server was away for all of them

    smtp_down.start()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0, result.output
    assert len(smtp_down.received) == 1  # the second was due; the first waits out its backoff
    make_due(app)
    runner.invoke(args=["portal", "jobs", "run"])
    runner.invoke(args=["portal", "jobs", "run"])  # twice: nothing twice
    assert sorted(m["Message-ID"] for m in smtp_down.received) == sorted(
        {m["Message-ID"] for m in smtp_down.received}
    )
    assert len(smtp_down.received) == 2
    assert {r.status for r in rows(app)} == {"sent"}


def test_a_lasting_refusal_fails_at_once_and_a_temporary_one_is_retried(app, smtp):
    smtp.recorder.refuse = "550 5.1.1 Ukendt modtager"
    with app.app_context(), transaction():
        queue_one("lasting")
    smtp.recorder.refuse = "450 4.2.1 Mailbox busy"
    with app.app_context(), transaction():
        queue_one("temporary")
    lasting, temporary = rows(app)
    assert lasting.status == "failed" and "550" in lasting.last_error
    assert "Modtageren blev afvist" in lasting.last_error
    assert temporary.status == "pending" and "450" in temporary.last_error

    smtp.recorder.refuse = None
    make_due(app)
    with app.app_context():
        delivery.deliver_due()
    lasting, temporary = rows(app)
    assert (lasting.status, temporary.status) == ("failed", "sent")
    assert len(smtp.received) == 1


def test_a_server_that_goes_away_mid_send_gets_the_message_again(app, smtp):
    smtp.recorder.drop = True
    with app.app_context(), transaction():
        queue_one()
    [row] = rows(app)
    assert row.status == "pending" and row.attempts == 1
    smtp.recorder.drop = False
    make_due(app)
    with app.app_context():
        delivery.deliver_due()
    assert len(smtp.received) == 1 and rows(app)[0].status == "sent"


def test_out_of_attempts_a_message_is_failed_and_waits_are_doubling(app, smtp_down):
    app.config.update(MAIL_MAX_ATTEMPTS=3, **smtp_down.config())
    with app.app_context():
        assert [delivery.backoff(n) for n in (1, 2, 3)] == [
            timedelta(seconds=60),
            timedelta(seconds=120),
            timedelta(seconds=240),
        ]
    with app.app_context(), transaction():
        queue_one()
    for _ in range(2):
        make_due(app)
        with app.app_context():
            delivery.deliver_due()
    [row] = rows(app)
    assert (row.status, row.attempts) == ("failed", 3)


def test_a_local_part_with_aeoeaa_goes_by_smtputf8_or_fails_clearly(app, smtp):
    with app.app_context(), transaction():
        queue_one("utf8", to="søren.ærø@example.com")
    assert smtp.recorder.recipients == [["søren.ærø@example.com"]]

    smtp.stop()
    smtp.start(enable_SMTPUTF8=False)  # a relay that cannot
    with app.app_context(), transaction():
        queue_one("ascii-only", to="søren.ærø@example.com")
    row = rows(app)[1]
    assert row.status == "failed"
    assert "æ, ø eller å" in row.last_error
    assert len(smtp.received) == 1


def test_an_unusable_address_is_stored_as_failed_not_lost(app, smtp):
    with app.app_context(), transaction():
        queue_one(to="ikke en adresse")
    [row] = rows(app)
    assert row.status == "failed" and row.last_error.startswith("Adressen kan ikke bruges")


def test_two_senders_never_send_the_same_message(app, smtp):
    with app.app_context(), transaction():
        db.session.info.clear()
        for n in range(5):
            queue_one(f"many:{n}")
        db.session.info.clear()  # not sent after commit: the two senders below race for them
    with app.app_context():
        ids = [r.id for r in rows(app)]
        now = utcnow()
        with transaction():
            claimed = [delivery._claim(message_id, now) for message_id in ids]
        with transaction():
            again = [delivery._claim(message_id, now) for message_id in ids]
    assert claimed == [True] * 5 and again == [False] * 5


def test_starttls_with_the_relays_own_ca(app, tls_smtp):
    app.config.update(MAIL_USE_TLS=True, MAIL_CA_FILE=tls_smtp.ca_file, **tls_smtp.config())
    with app.app_context(), transaction():
        queue_one()
    assert len(tls_smtp.received) == 1


def test_without_the_ca_the_certificate_is_refused_and_nothing_is_lost(app, tls_smtp):
    app.config.update(MAIL_USE_TLS=True, **tls_smtp.config())
    with app.app_context(), transaction():
        queue_one()
    [row] = rows(app)
    assert row.status == "pending" and "CERTIFICATE" in row.last_error.upper()
    assert tls_smtp.received == []


def test_after_a_request_mail_is_sent_in_a_thread_without_holding_the_page(
    app, client, make_user, smtp
):
    import time

    app.config["MAIL_SEND_INLINE"] = False
    make_user("staff", email="glemsom@example.com")
    from tests.conftest import csrf_token

    token = csrf_token(client, "/glemt-adgangskode")
    client.post("/glemt-adgangskode", data={"csrf_token": token, "email": "glemsom@example.com"})
    for _ in range(100):  # the thread sends it shortly after the response
        if smtp.received:
            break
        time.sleep(0.05)
    assert len(smtp.received) == 1
    for _ in range(100):  # and records it
        if rows(app)[0].status == "sent":
            break
        time.sleep(0.05)
    assert rows(app)[0].status == "sent"


def test_a_server_that_never_answers_times_out_and_loses_nothing(app):
    import socket

    silent = socket.socket()  # accepts connections (the backlog) and never says a word
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1
        )
        with app.app_context(), transaction():
            queue_one()
    finally:
        silent.close()
    [row] = rows(app)
    assert row.status == "pending" and row.attempts == 1
    assert "timed out" in row.last_error
