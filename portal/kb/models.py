"""Guides (vejviser) and procedures (sagsgange) as pages, their steps, tags and the glossary."""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import administration
from portal.db import Base, UTCDateTime, utcnow

PAGE_KINDS = ("guide", "procedure")
KIND_LABELS = {"guide": "Vejviser", "procedure": "Sagsgang"}


class Page(Base):
    __tablename__ = "page"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    administration: Mapped[str] = mapped_column(sa.String(10))
    category: Mapped[str] = mapped_column(sa.String(100))
    owner: Mapped[str] = mapped_column(sa.String(200))
    reviewed: Mapped[date] = mapped_column(sa.Date)
    related_slugs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    trigger: Mapped[str | None] = mapped_column(sa.Text)
    body_source: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)  # rendered once, when saved
    toc_html: Mapped[str] = mapped_column(sa.Text, default="")
    source_path: Mapped[str | None] = mapped_column(sa.String(300))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    published: Mapped[bool] = mapped_column(default=True)
    follows_model: Mapped[bool] = mapped_column(default=False)  # the seven-step model
    review_days: Mapped[int | None]  # None: the installation's PORTAL_REVIEW_AFTER_DAYS
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Set when the page is saved in the browser, cleared when it is written to or read from
    # its file: a content sync never overwrites a page edited in the browser since.
    edited_in_browser_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The glossary changed a word the page mentions: ``portal jobs run`` renders it again
    # (see ``glossary.rerender_job``).
    glossary_stale: Mapped[bool] = mapped_column(default=False)

    steps: Mapped[list[Step]] = relationship(
        back_populates="page", order_by="Step.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[PageTag]] = relationship(
        back_populates="page", order_by="PageTag.name", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("kind IN ('guide', 'procedure')", name="kind_known"),
        sa.CheckConstraint("administration IN ('BIF', 'SOF', 'both')", name="administration_known"),
    )
    # Of two saves at the same version only the first matches its row (see
    # ``errors.one_save_wins``); ``pages.save_page`` raises the version.
    __mapper_args__ = MappingProxyType({"version_id_col": version, "version_id_generator": False})

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def administration_label(self) -> str:
        return administration.label(self.administration)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


class Step(Base):
    """One step of a procedure, owned by BIF, SOF or both."""

    __tablename__ = "step"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(sa.ForeignKey("page.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    owner: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(200))
    text_source: Mapped[str] = mapped_column(sa.Text)
    text_html: Mapped[str] = mapped_column(sa.Text)
    deadline: Mapped[str | None] = mapped_column(sa.String(200))
    document: Mapped[str | None] = mapped_column(sa.String(200))
    contact: Mapped[str | None] = mapped_column(sa.String(200))
    model_step: Mapped[int | None]  # which step of the seven-step model (1-7), if any

    page: Mapped[Page] = relationship(back_populates="steps")

    __table_args__ = (sa.CheckConstraint("owner IN ('BIF', 'SOF', 'both')", name="owner_known"),)

    @property
    def owner_label(self) -> str:
        return administration.label(self.owner)


class PageRevision(Base):
    """The whole state of a page after one save (by a file, the browser, a restore, a review
    or a change of publication), with who, when and why. ``number`` counts from 1 per page."""

    __tablename__ = "page_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(sa.ForeignKey("page.id", ondelete="CASCADE"))
    number: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published: Mapped[bool]
    state: Mapped[dict] = mapped_column(sa.JSON)

    page: Mapped[Page] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("page_id", "number", name="uq_page_revision_page_id_number"),
    )

    @property
    def action_label(self) -> str:
        return REVISION_ACTIONS.get(self.action, self.action)


REVISION_ACTIONS = {
    "sync": "Indlæst fra fil",
    "edit": "Redigeret",
    "create": "Oprettet",
    "restore": "Gendannet",
    "review": "Gennemgået",
    "publish": "Genudgivet",
    "unpublish": "Afpubliceret",
    "sync_unpublish": "Afpubliceret (filen er fjernet)",
}


class PageRedirect(Base):
    """An old address of a page (renamed or merged): ``/vejviser/<old_slug>`` and
    ``/sagsgange/<old_slug>`` answer with a permanent redirect to the page."""

    __tablename__ = "page_redirect"

    old_slug: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    page_id: Mapped[int] = mapped_column(sa.ForeignKey("page.id", ondelete="CASCADE"), index=True)

    page: Mapped[Page] = relationship()


class PageTag(Base):
    __tablename__ = "page_tag"

    page_id: Mapped[int] = mapped_column(
        sa.ForeignKey("page.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), index=True)

    page: Mapped[Page] = relationship(back_populates="tags")


class GlossaryTerm(Base):
    __tablename__ = "glossary_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    term: Mapped[str] = mapped_column(sa.String(120))
    long_form: Mapped[str | None] = mapped_column(sa.String(300))
    synonyms: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    definition: Mapped[str] = mapped_column(sa.Text)
    definition_html: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    # Edited in the browser: of two saves at the same version only the first matches its row
    # (see ``errors.one_save_wins``); ``glossary.save_term`` raises the version.
    __mapper_args__ = MappingProxyType({"version_id_col": version, "version_id_generator": False})
