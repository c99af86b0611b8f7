"""Review due: once a week, each page owner gets one mail listing their pages past review.

A page's owner is a name or an address (front matter ``owner``). When it names an active
editor (by e-mail or name), the mail goes to them; otherwise to the special unit (its shared
address, or each editor). The key names the recipient and the ISO week, so a daily
``portal jobs run`` sends each owner one digest a week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask import Flask

from portal import mail
from portal.auth.mails import editor_recipients
from portal.auth.models import User
from portal.editor.services import overdue_pages
from portal.extensions import db
from portal.kb.models import Page
from portal.kb.services import page_url, review_due
from portal.routing import absolute_url
from portal.security import Role
from portal.templating import dato
from portal.timeutil import local_today

Recipient = tuple[str, str, User | None]  # address, name, user


def _owners() -> dict[str, Recipient]:
    """Active editors by lower-cased e-mail and name."""
    found: dict[str, Recipient] = {}
    users = db.session.scalars(
        sa.select(User).where(
            User.active.is_(True), User.role.in_([Role.EDITOR.value, Role.ADMIN.value])
        )
    )
    for user in users:
        found[user.email.lower()] = found[user.name.lower()] = (user.email, user.name, user)
    return found


def digests(today: date) -> dict[Recipient, list[Page]]:
    owners, unit = _owners(), editor_recipients()
    by_recipient: dict[Recipient, list[Page]] = defaultdict(list)
    for page in overdue_pages(today=today):
        owner = owners.get(page.owner.strip().lower())
        for recipient in [owner] if owner else unit:
            by_recipient[recipient].append(page)
    return by_recipient


def review_job(app: Flask) -> str | None:
    """``portal jobs run``: this week's digests that have not gone out."""
    today = local_today()
    year, week, _ = today.isocalendar()
    sent = 0
    for (address, name, user), pages in digests(today).items():
        listed = [
            {
                "title": page.title,
                "due": dato(review_due(page)),
                "url": absolute_url("core.index").rstrip("/") + page_url(page),
            }
            for page in pages
        ]
        queued = mail.queue(
            key=f"review-digest:{address.lower()}:{year}-W{week:02d}",
            kind="review_digest",
            to=address,
            name=name,
            user=user,
            template="review_digest",
            subject=f"{len(pages)} side(r) på portalen skal gennemgås",
            unsubscribe=user is not None,
            context={"pages": listed, "editor_url": absolute_url("editor.index")},
        )
        sent += queued is not None
    return f"Gennemgang: {sent} oversigt(er) til sideejere." if sent else None
