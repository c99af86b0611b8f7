"""The mail outbox: a message is a row written in the same transaction as the change that
causes it, and sent after that transaction commits (or by ``portal jobs run``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Status(StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after ``next_attempt_at``)
    SENDING = "sending"  # claimed by one sender; nobody else touches it
    SENT = "sent"
    FAILED = "failed"  # given up: refused for good, or out of attempts


STATUS_LABELS = {
    Status.PENDING: "Venter",
    Status.SENDING: "Sendes nu",
    Status.SENT: "Sendt",
    Status.FAILED: "Fejlet",
}


class MailMessage(Base):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One message per event: queueing the same key again adds nothing.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # invitation, reset, reminder, ...
    to_address: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # The user it is for, if any (their preferences; null once erased).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(250))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # Extra headers (List-Unsubscribe) and attachments ({filename, content_type, method, data}).
    headers: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # A one-time link is not stored: this says how to sign it when the mail is sent
    # ({"maker": "invitation", ...}, see ``outbox.register_link``); the text holds ``LINK``.
    link: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default=Status.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name="status_known"
        ),
        sa.Index("ix_mail_outbox_due", "status", "next_attempt_at"),
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)]


class MailOptOut(Base):
    """An optional kind of mail (a digest, a reminder) that a user has turned off."""

    __tablename__ = "mail_opt_out"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
