"""Compose a stored message as MIME and hand it to the municipality's SMTP relay.

The standard library does the job: ``email.message.EmailMessage`` with the SMTP policy writes
UTF-8 subjects and names as encoded words, refuses CR/LF in header values, and ``smtplib``
speaks STARTTLS, implicit TLS, AUTH and SMTPUTF8. A mail library would add a second way to say
the same and no outbox; the outbox, retries and idempotency are ours (``delivery``).
"""

from __future__ import annotations

import base64
import hashlib
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import current_app

from portal.db import utcnow
from portal.mail import outbox
from portal.mail.models import MailMessage


@dataclass(frozen=True)
class Failure(Exception):
    """Sending failed. ``lasting``: trying again will not help (a refused recipient)."""

    reason: str
    lasting: bool = False
    # The connection is gone or never came: stop this batch, the next messages would fail too.
    connection: bool = False

    def __str__(self) -> str:
        return self.reason


def _address(display_name: str, address: str) -> Address:
    username, _, domain = address.rpartition("@")
    return Address(display_name=display_name, username=username, domain=domain)


def _sender() -> tuple[str, str]:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return name, address


def compose(message: MailMessage) -> EmailMessage:
    """The MIME message: text with an HTML alternative, then the attachments."""
    mime = EmailMessage()
    sender_name, sender = _sender()
    mime["From"] = _address(sender_name, sender)
    mime["To"] = _address(message.to_name, message.to_address)
    if current_app.config.get("MAIL_REPLY_TO"):
        mime["Reply-To"] = current_app.config["MAIL_REPLY_TO"]
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at or utcnow())
    # The same event always has the same Message-ID, so a receiver can drop a repeat.
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    mime["Message-ID"] = f"<{digest}@{sender.rpartition('@')[2] or 'portal'}>"
    mime["Auto-Submitted"] = "auto-generated"
    for name, value in (message.headers or {}).items():
        mime[name] = value
    mime.set_content(outbox.with_link(message.body_text, message))
    mime.add_alternative(outbox.with_link(message.body_html, message), subtype="html")
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        mime.add_attachment(
            base64.b64decode(attachment["data"]),
            maintype=maintype,
            subtype=subtype,
            filename=attachment["filename"],
            params=attachment.get("params") or {},
        )
    return mime


def _tls_context() -> ssl.SSLContext:
    ca_file = current_app.config.get("MAIL_CA_FILE")  # a municipality's own CA, if any
    return ssl.create_default_context(cafile=ca_file or None)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    smtp: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=_tls_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _reply(code: int, text: bytes | str) -> str:
    said = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {said}".strip()


class Connection:
    """One SMTP session for a batch of messages, opened at the first message."""

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: MailMessage) -> None:
        """:raises Failure: with a Danish reason, saying whether to try again."""
        mime = compose(message)
        try:
            if self._smtp is None:
                self._smtp = _connect()
            self._smtp.send_message(mime)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise Failure(f"Modtageren blev afvist: {_reply(code, text)}", code >= 500) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise Failure(
                f"Serveren afviste brevet: {_reply(error.smtp_code, error.smtp_error)}",
                error.smtp_code >= 500,
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            raise Failure(
                "Serveren kan ikke sende til en adresse med æ, ø eller å før @ (SMTPUTF8).",
                lasting=True,
            ) from error
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            raise Failure(
                f"Serveren afviste brugernavn eller adgangskode: "
                f"{_reply(error.smtp_code, error.smtp_error)}",
                connection=True,
            ) from error
        except (smtplib.SMTPException, OSError) as error:  # refused, timed out, went away
            self.close()
            raise Failure(
                f"Forbindelsen til mailserveren fejlede: {error or type(error).__name__}",
                connection=True,
            ) from error

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


@contextmanager
def connection() -> Iterator[Connection]:
    conn = Connection()
    try:
        yield conn
    finally:
        conn.close()
