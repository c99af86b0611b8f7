"""Queue a message: render it now, store it in the current transaction, send it after commit.

A message is written in the same transaction as the change that causes it, so a rolled-back
change sends nothing and a committed one loses nothing. Each carries a key naming its event
(``invitation:user:12:2026-11-29T10:00:00``): queueing the same key again adds nothing, so a
job that runs twice sends nothing twice.

A one-time link (an invitation, a password reset) is never stored: the text holds ``LINK``
and the message says how to sign the link again when it is sent (a maker registered by the
feature that owns the link). A copy of the database gives no one a link, and a link that has
been used or has expired meanwhile is not sent.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app, render_template

from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import MailMessage, Status
from portal.mail.preferences import wants
from portal.routing import absolute_url

log = logging.getLogger(__name__)

PENDING_KEY = "mail_pending"  # session.info: this transaction queued mail
LINK = "https://portal.invalid/engangslink"  # where the one-time link goes in the text

LinkMaker = Callable[[Mapping[str, Any]], str]


def register_link(app: Flask, name: str, maker: LinkMaker) -> None:
    """``maker(spec)`` signs the link a message's ``link`` spec names, or raises
    ``ValidationError`` (in Danish) when it no longer works."""
    app.extensions.setdefault("mail_link_makers", {})[name] = maker


def make_link(spec: Mapping[str, Any]) -> str:
    """:raises ValidationError: if the link no longer works (used, expired, deactivated)."""
    return current_app.extensions["mail_link_makers"][spec["maker"]](spec)


def with_link(text: str, message: MailMessage) -> str:
    """The text as sent: the one-time link signed now, in place of ``LINK``."""
    return text.replace(LINK, make_link(message.link)) if message.link else text


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar"
    data: bytes
    params: Mapping[str, str] = field(default_factory=dict)  # {"method": "REQUEST"}

    def stored(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "params": dict(self.params),
            "data": base64.b64encode(self.data).decode("ascii"),
        }


def one_line(text: str) -> str:
    """A header value on one line: names and subjects never carry CR or LF into a header."""
    return " ".join(text.split())


def _address_problem(address: str) -> str | None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return f"Adressen kan ikke bruges: {error}"
    return None


def queue(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    subject: str,
    context: Mapping[str, Any] | None = None,
    name: str = "",
    user: Any = None,
    unsubscribe: bool = False,
    attachments: Iterable[Attachment] = (),
    link: Mapping[str, Any] | None = None,
) -> MailMessage | None:
    """Render ``mail/<template>.txt`` and ``.html`` and add the message to this transaction.

    Returns None, adding nothing, when a message with ``key`` exists already or ``user`` has
    turned ``kind`` off. An unusable address is stored as failed, with the reason, so that
    administrators see it. ``unsubscribe`` adds a ``List-Unsubscribe`` header pointing to the
    recipient's mail settings (for optional mail). ``link`` names a one-time link to sign
    when the mail is sent (``register_link``); the templates show it as ``link``.
    """
    if user is not None and not wants(user, kind):
        return None
    if db.session.scalar(sa.select(MailMessage.id).where(MailMessage.key == key)) is not None:
        return None
    values = {
        "name": name,
        "portal_url": absolute_url("core.index"),
        "settings_url": absolute_url("mail.settings"),
        **(context or {}),
        **({"link": LINK} if link else {}),
    }
    headers: dict[str, str] = {}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{absolute_url('mail.settings')}>"
    problem = _address_problem(to)
    message = MailMessage(
        key=key,
        kind=kind,
        to_address=to,
        to_name=one_line(name),
        user_id=getattr(user, "id", None),
        subject=one_line(subject)[:250],
        body_text=render_template(f"mail/{template}.txt", **values),
        body_html=render_template(f"mail/{template}.html", subject=subject, **values),
        headers=headers,
        attachments=[attachment.stored() for attachment in attachments],
        link=dict(link) if link else None,
        status=Status.FAILED.value if problem else Status.PENDING.value,
        last_error=problem,
        next_attempt_at=utcnow(),
    )
    try:
        with db.session.begin_nested():  # another transaction queued the same event first
            db.session.add(message)
    except sa.exc.IntegrityError:
        return None
    if problem:
        log.warning("Mail %s not queued for sending: %s", key, problem)
    else:
        db.session.info[PENDING_KEY] = True
    return message


def configured() -> bool:
    """Whether an SMTP server is set; without one, messages go to the log (development)."""
    return bool(current_app.config.get("MAIL_SERVER"))
