"""Shared steps of the reader-feedback tests: leave feedback as a logged-in reader, handle it
as an editor, and read the rows back."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.extensions import db
from portal.kb.feedback import PageFeedback

GUIDE = "/vejviser/groen-linie"
PROCEDURE = "/sagsgange/samarbejdsmodellen"


def form_token(html: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no {prefix} form on the page"
    return match.group(1)


def leave(client, path: str = GUIDE, useful: str | None = "nej", comment: str = ""):
    """POST the feedback form of the page at ``path`` (as the client's logged-in user)."""
    token = form_token(client.get(path).get_data(as_text=True), "tilbagemelding")
    data = {"tilbagemelding-csrf_token": token, "tilbagemelding-comment": comment}
    if useful is not None:
        data["tilbagemelding-useful"] = useful
    return client.post(f"{path}/tilbagemelding", data=data)


def handle(client, item_id: int, reply: str, slug: str = "groen-linie", version=None):
    """POST the handling form of an open item from its page's list (as an editor)."""
    html = client.get(f"/redaktion/tilbagemeldinger/{slug}").get_data(as_text=True)
    prefix = f"fb{item_id}"
    token = form_token(html, prefix)
    if version is None:
        version = re.search(rf'name="{prefix}-version" type="hidden" value="(\d+)"', html)[1]
    return client.post(
        f"/redaktion/tilbagemeldinger/{item_id}/behandl",
        data={
            f"{prefix}-csrf_token": token,
            f"{prefix}-reply": reply,
            f"{prefix}-version": version,
        },
    )


def rows(app) -> list[dict]:
    with app.app_context():
        items = db.session.scalars(sa.select(PageFeedback).order_by(PageFeedback.id))
        return [
            {
                "id": i.id,
                "slug": i.page.slug,
                "user_id": i.user_id,
                "useful": i.useful,
                "comment": i.comment,
                "handled": i.handled_at is not None,
                "handled_by_id": i.handled_by_id,
                "reply": i.reply,
                "version": i.version,
            }
            for i in items
        ]
