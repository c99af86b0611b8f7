"""The editors' front page shortcuts, and how often guides and procedures are read."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.kb.models import Page


class Shortcut(Base):
    """A guide or procedure an editor has chosen for the front page."""

    __tablename__ = "front_shortcut"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(sa.ForeignKey("page.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    page: Mapped[Page] = relationship(lazy="joined")


class PageVisit(Base):
    """Views of one guide or procedure on one day (a daily aggregate, no personal data)."""

    __tablename__ = "page_visit"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
