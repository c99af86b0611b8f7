"""BIF-SOF contact persons: a public work profile kept current by the person."""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from portal.auth.models import User
from portal.db import Base, UTCDateTime, utcnow


class ContactProfile(Base):
    __tablename__ = "contact_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    administration: Mapped[str] = mapped_column(sa.String(10))
    # From the editors' lists (``units``). No ON DELETE: a centre or team leaves the lists only
    # through a merge or a rejection, which moves its profiles first.
    centre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact_centre.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact_team.id"), index=True)
    workplace: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(20), default="")  # E.164, "+4512345678"
    about: Mapped[str] = mapped_column(sa.Text, default="")
    photo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    photo_version: Mapped[int] = mapped_column(default=0)
    # Whether there is a photo, without loading it (a list of cards must not load each photo).
    has_photo: Mapped[bool] = column_property(photo.is_not(None))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    is_demo: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(lazy="joined")
    centre: Mapped[Centre | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    areas: Mapped[list[ContactArea]] = relationship(
        back_populates="profile", order_by="ContactArea.name", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("administration IN ('BIF', 'SOF')", name="administration_known"),
    )
    # Every UPDATE and DELETE of a profile expects the version it was loaded at, so of two
    # saves at the same version only the first matches its row; the other gets StaleDataError
    # (the edit form's conflict, see ``errors.one_save_wins``). The services raise the
    # version when the content changes (not when the person only confirms it).
    __mapper_args__ = MappingProxyType({"version_id_col": version, "version_id_generator": False})

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def active(self) -> bool:
        return self.user.active

    @property
    def area_names(self) -> list[str]:
        return [a.name for a in self.areas]

    @property
    def centre_name(self) -> str:
        return self.centre.name if self.centre else ""

    @property
    def team_name(self) -> str:
        """The team as others see it: a proposed team shows once an editor has approved it."""
        return self.team.name if self.team and self.team.approved else ""


def fold(name: str) -> str:
    """The key that makes two ways of writing a name one entry: case and spacing ignored."""
    return " ".join(name.split()).casefold()


class Centre(Base):
    """A centre or unit ("Center/enhed") of BIF or SOF, on the editors' list."""

    __tablename__ = "contact_centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    administration: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(160))
    key: Mapped[str] = mapped_column(sa.String(160))  # ``fold(name)``
    version: Mapped[int] = mapped_column(default=1)

    teams: Mapped[list[Team]] = relationship(back_populates="centre", order_by="Team.name")

    __table_args__ = (
        sa.CheckConstraint("administration IN ('BIF', 'SOF')", name="administration_known"),
        sa.UniqueConstraint("administration", "key"),
    )
    # A rename or merge expects the version it was shown (two editors at once: one wins).
    __mapper_args__ = MappingProxyType({"version_id_col": version})

    def __str__(self) -> str:  # as the audit trail shows it
        return self.name


class Team(Base):
    """A team within a centre. A contact person may propose one; it is shown in the directory
    once an editor approves it (or merges it into an existing team)."""

    __tablename__ = "contact_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(sa.ForeignKey("contact_centre.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    key: Mapped[str] = mapped_column(sa.String(120))  # ``fold(name)``
    approved: Mapped[bool] = mapped_column(default=True)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    centre: Mapped[Centre] = relationship(back_populates="teams", lazy="joined")
    proposed_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("centre_id", "key"),)
    __mapper_args__ = MappingProxyType({"version_id_col": version})

    def __str__(self) -> str:
        return self.name


class ContactArea(Base):
    """Something the person can help with ("misbrug", "grøn linie")."""

    __tablename__ = "contact_area"

    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contact_profile.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), index=True)

    profile: Mapped[ContactProfile] = relationship(back_populates="areas")
