"""Sending the outbox: after each commit that queued mail, and from ``portal jobs run``.

A sender claims a message with one conditional UPDATE (pending and due -> sending), so two
processes never send the same row; it sends outside any transaction and records the outcome.
A failure waits and is tried again, each wait twice the last, until ``MAIL_MAX_ATTEMPTS``;
a lasting refusal (an unknown recipient) fails at once. Failed messages are listed for
administrators (``/admin/post``) and counted on Redaktion.

A sender that dies between handing a message to the server and recording it leaves the row
``sending``; after ``MAIL_SENDING_TIMEOUT`` it is tried again with the same Message-ID. That
is the only way a message can reach someone twice, and the receiving server may drop the
repeat by its Message-ID.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.errors import ValidationError
from portal.extensions import db
from portal.mail import outbox, transport
from portal.mail.models import MailMessage, Status
from portal.transaction import transaction

log = logging.getLogger(__name__)

BATCH = 50


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: the base, doubled each time, at most a day."""
    base = current_app.config["MAIL_RETRY_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 24 * 3600))


def _release_stuck(now: datetime) -> None:
    """Rows claimed by a sender that never came back are due again."""
    db.session.execute(
        sa.update(MailMessage)
        .where(MailMessage.status == Status.SENDING.value, MailMessage.next_attempt_at <= now)
        .values(status=Status.PENDING.value)
    )


def _claim(message_id: int, now: datetime) -> bool:
    lease = timedelta(seconds=current_app.config["MAIL_SENDING_TIMEOUT"])
    result = db.session.execute(
        sa.update(MailMessage)
        .where(
            MailMessage.id == message_id,
            MailMessage.status == Status.PENDING.value,
            MailMessage.next_attempt_at <= now,
        )
        .values(
            status=Status.SENDING.value,
            attempts=MailMessage.attempts + 1,
            next_attempt_at=now + lease,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _record(message_id: int, failure: transport.Failure | None) -> str:
    message = db.session.get(MailMessage, message_id)
    assert message is not None
    if failure is None:
        message.status, message.sent_at, message.last_error = Status.SENT.value, utcnow(), None
        return "sent"
    message.last_error = failure.reason
    if failure.lasting or message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = Status.FAILED.value
        log.error("Mail %s to %s failed for good: %s", message.key, message.to_address, failure)
        return "failed"
    message.status = Status.PENDING.value
    message.next_attempt_at = utcnow() + backoff(message.attempts)
    log.warning("Mail %s to %s will be tried again: %s", message.key, message.to_address, failure)
    return "retry"


def _to_log(message: MailMessage) -> None:
    log.info(
        "Mail (no SMTP server set) to %s <%s>: %s\n\n%s",
        message.to_name,
        message.to_address,
        message.subject,
        outbox.with_link(message.body_text, message),
    )


def deliver_due(limit: int = BATCH) -> Counter[str]:
    """Send what is due, at most ``limit`` messages; how many were sent, retried, failed."""
    outcome: Counter[str] = Counter()
    now = utcnow()
    with transaction():
        _release_stuck(now)
        ids = db.session.scalars(
            sa.select(MailMessage.id)
            .where(MailMessage.status == Status.PENDING.value, MailMessage.next_attempt_at <= now)
            .order_by(MailMessage.id)
            .limit(limit)
        ).all()
    with transport.connection() as smtp:
        for message_id in ids:
            with transaction():
                if not _claim(message_id, now):
                    continue  # another sender has it
            with transaction():
                message = db.session.get(MailMessage, message_id)
                assert message is not None
                failure = _send(smtp, message)
                outcome[_record(message_id, failure)] += 1
            if failure is not None and failure.connection:
                break  # the server is away: the rest wait for the next run, attempts unspent
    return outcome


def _send(smtp: transport.Connection, message: MailMessage) -> transport.Failure | None:
    try:
        if not outbox.configured():
            _to_log(message)
        else:
            smtp.send(message)
    except transport.Failure as failure:
        return failure
    except ValidationError as error:  # its one-time link was used or has expired
        return transport.Failure(f"Ikke sendt: {error.message}", lasting=True)
    except ValueError as error:  # a header the email package refuses
        return transport.Failure(f"Brevet kunne ikke dannes: {error}", lasting=True)
    return None


def retry(message: MailMessage) -> None:
    """An administrator sends a failed message again: fresh attempts, due now."""
    if message.status != Status.FAILED.value:
        return
    message.status, message.attempts = Status.PENDING.value, 0
    message.next_attempt_at = utcnow()
    db.session.info[outbox.PENDING_KEY] = True
    db.session.flush()


def latest(status: str | None, limit: int) -> list[MailMessage]:
    """The newest messages (with ``status`` only, if given), for ``/admin/post``."""
    query = sa.select(MailMessage).order_by(MailMessage.id.desc()).limit(limit)
    if status:
        query = query.where(MailMessage.status == status)
    return list(db.session.scalars(query))


def counts() -> dict[str, int]:
    """How many messages there are by status."""
    query = sa.select(MailMessage.status, sa.func.count()).group_by(MailMessage.status)
    return dict(db.session.execute(query).all())


def failures() -> list[MailMessage]:
    return list(
        db.session.scalars(
            sa.select(MailMessage)
            .where(MailMessage.status == Status.FAILED.value)
            .order_by(MailMessage.id.desc())
        )
    )


def _deliver_logged(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_due()
        except Exception:
            log.exception("Sending mail after commit failed; the outbox keeps it")


def on_commit(app: Flask, session: Session) -> None:
    """``signals.committed``: send what the committed transaction queued (and what else is
    due). After a request in a thread, so a slow mail server never holds a page, unless
    ``MAIL_SEND_INLINE`` (tests); after a command (``portal jobs run``) before it exits.
    Whatever is not sent now is sent by the next ``portal jobs run``."""
    if not session.info.pop(outbox.PENDING_KEY, False):
        return
    if app.config["MAIL_SEND_INLINE"] or not has_request_context():
        _deliver_logged(app)
    else:
        threading.Thread(target=_deliver_logged, args=(app,), daemon=True).start()


def due_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(MailMessage)
            .where(MailMessage.status.in_([Status.PENDING.value, Status.SENDING.value]))
            .where(MailMessage.next_attempt_at <= utcnow())
        )
        or 0
    )


def send_job(app: Flask) -> str | None:
    """``portal jobs run``: the due messages (retries included) are sent when the jobs'
    transaction has committed, with what the other jobs queued (``on_commit``)."""
    due = due_count()
    if not due and not db.session.info.get(outbox.PENDING_KEY):
        return None
    db.session.info[outbox.PENDING_KEY] = True
    return f"E-mail: {due} brev(e) var forfaldne og sendes nu." if due else None
