"""The weekly digest of news "til videreformidling": each contact person who has not turned it
off gets, once per week, the items published since their last digest (the last 7 days the
first time) that they have not marked as passed on yet. Nothing new: no mail."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from portal import mail
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import MailMessage
from portal.news.reading import to_pass_on
from portal.routing import absolute_url
from portal.security import Role
from portal.templating import dato
from portal.timeutil import local_today

FIRST_WINDOW = timedelta(days=7)


def _last_digest(user: User) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.max(MailMessage.created_at)).where(
            MailMessage.key.startswith(f"news-digest:{user.id}:", autoescape=True)
        )
    )


def digest_job(app: Flask) -> str | None:
    """``portal jobs run``: this week's digests that have not gone out."""
    now = utcnow()
    year, week, _ = local_today().isocalendar()
    sent = 0
    contacts = db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.role == Role.CONTACT.value)
    )
    for user in contacts:
        since = _last_digest(user) or now - FIRST_WINDOW
        items = [
            item
            for item, done in to_pass_on(user, now)
            if not done and item.published_at is not None and item.published_at > since
        ]
        if not items:
            continue
        queued = mail.queue(
            key=f"news-digest:{user.id}:{year}-W{week:02d}",
            kind="news_digest",
            to=user.email,
            name=user.name,
            user=user,
            template="news_digest",
            subject=f"Til videreformidling: {len(items)} nyhed(er) fra specialenheden",
            unsubscribe=True,
            context={
                "items": [
                    {
                        "title": item.title,
                        "summary": item.summary,
                        "date": dato(item.published_at),
                        "url": absolute_url("news.item", slug=item.slug),
                    }
                    for item in items
                ],
                "pass_on_url": absolute_url("news.pass_on"),
            },
        )
        sent += queued is not None
    return f"Nyheder: {sent} ugentlig(e) oversigt(er) til kontaktpersoner." if sent else None
