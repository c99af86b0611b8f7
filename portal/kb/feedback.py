"""Reader feedback on guides and procedures: "Er siden korrekt og nyttig?" (yes or no and an
optional comment, from logged-in users), and the editors handling it with a reply note.

One answer per person per page at a time: while a person's feedback on a page is not yet
handled, a new answer replaces it (they change their mind or fix a typo, and the editors never
see two open items from one person about one page); once it is handled, a new answer starts a
new item and the handled one stays in the page's "behandlet" list. A database index holds the
rule (one unhandled row per page and person), so a double-click cannot make two.

A bare "ja" without a comment is counted but asks nothing of the editors; a "nej" or any
comment needs attention until an editor handles it. Functions flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import audit
from portal.auth.models import User
from portal.cpr import contains_cpr
from portal.db import Base, UTCDateTime, utcnow
from portal.errors import FieldErrors, NotFound, check_version, one_save_wins
from portal.extensions import db
from portal.kb.models import Page
from portal.kb.services import page_url
from portal.privacy import REFUSED as CPR_REFUSED
from portal.routing import MAX_ID

MAX_TEXT = 2000  # characters, for a reader's comment and for an editor's reply
ERASED_AUTHOR = "Slettet bruger"


class PageFeedback(Base):
    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(sa.ForeignKey("page.id", ondelete="CASCADE"), index=True)
    # The author; null once they are erased (the answer stays, without a person).
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    useful: Mapped[bool]
    comment: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reply: Mapped[str | None] = mapped_column(sa.Text)
    # A new answer and the handling each raise it: an editor handles what they read.
    version: Mapped[int] = mapped_column(default=1)

    page: Mapped[Page] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(foreign_keys=[user_id], lazy="joined")
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id], lazy="joined")

    __table_args__ = (
        sa.Index(
            "uq_page_feedback_open",
            "page_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("handled_at IS NULL"),
            postgresql_where=sa.text("handled_at IS NULL"),
        ),
    )
    __mapper_args__ = MappingProxyType({"version_id_col": version})

    @property
    def answer_label(self) -> str:
        return "Ja" if self.useful else "Nej"

    @property
    def author_name(self) -> str:
        return self.author.name if self.author else ERASED_AUTHOR

    @property
    def handled_by_name(self) -> str:
        return self.handled_by.name if self.handled_by else ERASED_AUTHOR


# Unhandled and asking something of the editors: a "nej", or any comment.
NEEDS_ATTENTION = sa.and_(
    PageFeedback.handled_at.is_(None),
    sa.or_(PageFeedback.useful.is_(False), PageFeedback.comment.is_not(None)),
)


def _text_errors(field: str, text: str | None, required: bool) -> dict[str, str]:
    if not text:
        return {field: "Skriv et svar til den, der gav tilbagemeldingen."} if required else {}
    if len(text) > MAX_TEXT:
        return {field: f"Teksten er {len(text)} tegn. Den må højst være {MAX_TEXT} tegn."}
    if contains_cpr(text):
        return {field: CPR_REFUSED}
    return {}


def _clean(text: str | None) -> str | None:
    text = (text or "").replace("\r\n", "\n").strip()
    return text or None


def open_item(page: Page, user: User) -> PageFeedback | None:
    """The person's unhandled feedback on the page, if any."""
    return db.session.scalar(
        sa.select(PageFeedback).where(
            PageFeedback.page_id == page.id,
            PageFeedback.user_id == user.id,
            PageFeedback.handled_at.is_(None),
        )
    )


def last_handled(page: Page, user: User) -> PageFeedback | None:
    """The person's most recently handled feedback on the page, to show them the reply."""
    return db.session.scalar(
        sa.select(PageFeedback)
        .where(
            PageFeedback.page_id == page.id,
            PageFeedback.user_id == user.id,
            PageFeedback.handled_at.is_not(None),
        )
        .order_by(PageFeedback.handled_at.desc())
        .limit(1)
    )


def leave(page: Page, user: User, useful: bool | None, comment: str | None) -> PageFeedback:
    """Record the person's answer; it replaces their unhandled one on the page.

    :raises FieldErrors: no answer, a comment over MAX_TEXT characters or with a CPR number.
    :raises Conflict: an editor handled the answer being replaced in the meantime.
    """
    comment = _clean(comment)
    errors = _text_errors("comment", comment, required=False)
    if useful is None:
        errors["useful"] = "Vælg ja eller nej."
    if errors or useful is None:
        raise FieldErrors(errors)
    item = open_item(page, user)
    if item is None:
        item = PageFeedback(page_id=page.id, user_id=user.id, useful=useful, comment=comment)
        try:
            with db.session.begin_nested():  # a double-click: the other request inserted first
                db.session.add(item)
            return item
        except IntegrityError:
            item = open_item(page, user)
            if item is None:
                raise
    with one_save_wins("Din tilbagemelding"):
        item.useful, item.comment, item.answered_at = useful, comment, utcnow()
    return item


def get_item(feedback_id: int) -> PageFeedback:
    """:raises NotFound: if there is no such feedback."""
    item = db.session.get(PageFeedback, feedback_id) if 0 < feedback_id <= MAX_ID else None
    if item is None:
        raise NotFound("Tilbagemeldingen findes ikke.")
    return item


def handle(item: PageFeedback, reply: str | None, expected_version: int | None, actor) -> None:
    """Mark the feedback handled with a reply note (the author sees it on the page).

    :raises FieldErrors: no reply, a reply over MAX_TEXT characters or with a CPR number.
    :raises Conflict: already handled, or the author changed it after the editor read it.
    """
    reply = _clean(reply)
    errors = _text_errors("reply", reply, required=True)
    if errors:
        raise FieldErrors(errors)
    check_version(item, expected_version, "Tilbagemeldingen")
    if item.handled_at is not None:
        raise FieldErrors(
            {"reply": f"{item.handled_by_name} har allerede behandlet tilbagemeldingen."}
        )
    with one_save_wins("Tilbagemeldingen"):
        item.handled_at, item.handled_by_id, item.reply = utcnow(), actor.id, reply
    audit.record(actor, "handle", "page_feedback", item.id, "reply", None, reply)


def personal_data(app: Flask, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """For the personal-data export: the person's feedback on pages, with the editors' replies,
    and the feedback they handled as an editor."""
    own = db.session.scalars(
        sa.select(PageFeedback)
        .where(PageFeedback.user_id == user_id)
        .order_by(PageFeedback.answered_at, PageFeedback.id)
    )
    handled = db.session.scalars(
        sa.select(PageFeedback)
        .where(PageFeedback.handled_by_id == user_id)
        .order_by(PageFeedback.handled_at, PageFeedback.id)
    )
    return {
        "tilbagemeldinger_på_sider": [
            {
                "side": item.page.title,
                "adresse": page_url(item.page),
                "svar": item.answer_label.lower(),
                "kommentar": item.comment,
                "tid": item.answered_at.isoformat(),
                "behandlet": item.handled_at.isoformat() if item.handled_at else None,
                "svar_fra_redaktionen": item.reply,
            }
            for item in own
        ],
        "tilbagemeldinger_behandlet_af_dig": [
            {
                "side": item.page.title,
                "adresse": page_url(item.page),
                "behandlet": item.handled_at.isoformat() if item.handled_at else None,
                "svar": item.reply,
            }
            for item in handled
        ],
    }
