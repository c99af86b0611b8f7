"""News from the special unit: items, and which contact persons have passed each one on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from portal import administration
from portal.db import Base, UTCDateTime, utcnow

STATUSES = ("draft", "published")


class NewsItem(Base):
    """A news item. It is public when ``status`` is published and ``published_at`` has passed;
    ``announced`` follows that moment, so that the search index learns of scheduled items."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(sa.String(100), unique=True)  # set at first publish
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(400), default="")
    body_source: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")  # rendered when saved
    administration: Mapped[str] = mapped_column(sa.String(10), default="both")
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    announced: Mapped[bool] = mapped_column(default=False, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # edited after publication
    pinned_until: Mapped[date | None] = mapped_column(sa.Date)  # inclusive, local date
    pass_on: Mapped[bool] = mapped_column(default=False)  # "til videreformidling"
    # Checked by the database: every UPDATE says ``WHERE version = :v`` and raises it by one, so
    # of two saves of the same version only the first succeeds (``services._flush``).
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (
        sa.CheckConstraint("administration IN ('BIF', 'SOF', 'both')", name="administration_known"),
        sa.CheckConstraint("status IN ('draft', 'published')", name="status_known"),
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}

    @property
    def administration_label(self) -> str:
        return administration.label(self.administration)

    def is_public(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.status == "published"
            and self.published_at is not None
            and self.published_at <= now
        )

    def is_scheduled(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.status == "published"
            and self.published_at is not None
            and (self.published_at > now)
        )

    @property
    def changed_at(self) -> datetime:
        """The last change a reader can see: the edit after publication, or publication."""
        return self.edited_at or self.published_at or self.updated_at


class NewsPassedOn(Base):
    """A contact person has passed this item on to their team."""

    __tablename__ = "news_passed_on"

    news_id: Mapped[int] = mapped_column(
        sa.ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
