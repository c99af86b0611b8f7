"""Citizen data never belongs in the portal: the one guard every write goes through.

Services check their fields first and answer with a message next to the field; this flush hook
is the backstop for whatever they miss: no text that looks like a CPR number reaches the
database, whichever feature writes it.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from portal.cpr import contains_cpr, without_cpr
from portal.errors import ValidationError

REFUSED = (
    "Teksten indeholder noget, der ligner et CPR-nummer. Oplysninger om borgere må ikke stå i "
    "portalen: fjern nummeret, og prøv igen."
)
# Columns that hold no human text: secrets, fingerprints and machine identifiers.
NOT_TEXT = ("hash", "token", "stamp", "digest")


def _texts(obj: Any) -> list[str]:
    state = inspect(obj)
    found: list[str] = []
    for attr in state.mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column.type, sa.String | sa.Text) or any(
            word in attr.key for word in NOT_TEXT
        ):
            continue
        history = state.attrs[attr.key].history
        found.extend(v for v in history.added if isinstance(v, str))
    return found


def refuse_cpr_numbers(session: Session, flush_context, instances) -> None:
    for obj in [*session.new, *session.dirty]:
        if any(contains_cpr(text) for text in _texts(obj)):
            raise ValidationError(REFUSED)


# The one-time links: an invitation, a password reset and a reminder's confirmation.
INVITATION = re.compile(r"/(invitation|nulstil-adgangskode|min-profil/bekraeft)/[^\s?\"']+")


class RedactRequestLog(logging.Filter):
    """Request logs (the development server's, gunicorn's access log) record URLs with their
    query, e.g. ``GET /soeg?q=...``: a CPR number typed into search is removed before the line
    is written (an address is decoded first, so ``010190%2D1234`` is found too), and so
    is the one-time token of an invitation, password-reset or confirmation link."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        # The addresses only (words with a "/"): decoding the whole line turned gunicorn's
        # "+0000" into " 0000".
        decoded = " ".join(unquote_plus(w) if "/" in w else w for w in message.split(" "))
        if contains_cpr(decoded):
            message = without_cpr(decoded)
        message = INVITATION.sub(r"/\1/[skjult]", message)
        if message != record.getMessage():
            record.msg, record.args = message, None
        return True


REQUEST_LOGGERS = ("werkzeug", "gunicorn.access")


def init_app(app) -> None:
    """Every session's flushes pass the guard, and request logs are redacted (registered once
    per process)."""
    if not event.contains(Session, "before_flush", refuse_cpr_numbers):
        event.listen(Session, "before_flush", refuse_cpr_numbers)
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactRequestLog) for f in logger.filters):
            logger.addFilter(RedactRequestLog())
