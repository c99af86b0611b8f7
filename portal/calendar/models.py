"""Meetings: events (single or a recurring series), changes to single occurrences of a series,
and registrations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.administration import VALUES, Administration, label
from portal.auth.models import User
from portal.db import Base, UTCDateTime, utcnow

# kind code -> (label, the value in URLs)
KINDS = {
    "network": ("Netværksmøde for kontaktpersoner", "netvaerksmoede"),
    "team_leaders": ("Teamchefnetværksmøde", "teamchefnetvaerk"),
    "talk": ("Fagligt gå-hjem-møde", "gaa-hjem-moede"),
    "coordination": ("Koordineringsmøde", "koordineringsmoede"),
    "course": ("Kursus og introforløb", "kursus"),
}
KIND_BY_SLUG = {slug: code for code, (_, slug) in KINDS.items()}
STATUSES = {"planned": "Planlagt", "moved": "Flyttet", "cancelled": "Aflyst"}
SPECIAL_UNIT = "BIF-SOF specialenheden"

REGISTERED = "registered"
WAITLISTED = "waitlisted"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Event(Base):
    """A meeting, or a recurring series of meetings when ``rrule`` is set.

    ``starts_at``/``ends_at`` are the first occurrence. A series' RRULE (RFC 5545, without
    DTSTART) is evaluated in Europe/Copenhagen wall-clock time, so 13:00 stays 13:00 across a
    daylight-saving change.
    """

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)  # iCalendar UID, never changes
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    administration: Mapped[str] = mapped_column(sa.String(10), default=Administration.BOTH.value)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rrule: Mapped[str | None] = mapped_column(sa.String(300))
    location: Mapped[str] = mapped_column(sa.String(300))
    description_source: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")  # rendered when saved
    # A contact person (a user with role "contact"), or None for the special unit.
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    capacity: Mapped[int | None]  # per occurrence; None: no limit
    # For a series, each occurrence closes as long before its start as this does before the first.
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    moved_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # RFC 5545 SEQUENCE: raised on every change to the event or one of its occurrences. It is
    # also the version an edit form carries, so a stale submit is refused.
    sequence: Mapped[int] = mapped_column(default=0)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser: Mapped[User | None] = relationship(lazy="joined")
    changes: Mapped[list[OccurrenceChange]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(_in("kind", KINDS), name="kind_known"),
        sa.CheckConstraint(_in("administration", VALUES), name="administration_known"),
        sa.CheckConstraint(_in("status", STATUSES), name="status_known"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    @property
    def version(self) -> int:
        """The version an edit form carries (``errors.check_version``): the SEQUENCE."""
        return self.sequence

    @property
    def is_series(self) -> bool:
        return bool(self.rrule)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def kind_slug(self) -> str:
        return KINDS[self.kind][1]

    @property
    def administration_label(self) -> str:
        return label(self.administration)

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser else SPECIAL_UNIT


class OccurrenceChange(Base):
    """One occurrence of a series, moved or cancelled without touching the rest of the series.

    ``day`` is the occurrence's original local date: its address and its RECURRENCE-ID.
    """

    __tablename__ = "event_occurrence_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(sa.String(10))  # YYYY-MM-DD
    status: Mapped[str] = mapped_column(sa.String(20))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when moved
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="changes")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "day", name="uq_event_occurrence_change_event_day"),
        sa.CheckConstraint("status IN ('moved', 'cancelled')", name="status_known"),
    )


class Registration(Base):
    """A user's seat (or place on the waitlist) at one occurrence. ``occurrence`` is "" for a
    single event, the original local date (YYYY-MM-DD) for an occurrence of a series."""

    __tablename__ = "event_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(sa.String(10), default="")
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    administration: Mapped[str | None] = mapped_column(sa.String(10))  # as the user gave it
    unit: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "occurrence", "user_id", name="uq_event_registration_seat"),
        sa.Index("ix_event_registration_occurrence", "event_id", "occurrence", "status"),
        sa.CheckConstraint(_in("status", (REGISTERED, WAITLISTED)), name="status_known"),
    )


class FeedToken(Base):
    """A person's secret address for their calendar feeds, so that Outlook can subscribe
    without a login. Only a hash of the address's token is stored (``subscriptions.py``)."""

    __tablename__ = "calendar_feed_token"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    nonce: Mapped[str] = mapped_column(sa.String(64))  # with the app's key, gives the token
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # SHA-256, hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
