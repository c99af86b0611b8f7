"""Reading an edit form as a browser would, to post it back with a few fields changed."""

from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.kb.models import Page, PageRevision


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_data(response) -> dict[str, str]:
    """Every field of the page's edit form with its current value (no buttons)."""
    form = soup(response).select_one("form.page-form")
    data: dict[str, str] = {}
    for element in form.select("input, textarea, select"):
        name = element.get("name")
        if not name or element.name == "button":
            continue
        if element.name == "textarea":
            data[name] = element.get_text()
        elif element.name == "select":
            chosen = element.select_one("option[selected]") or element.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data[name] = element.get("value", "y")
        else:
            data[name] = element.get("value", "")
    return data


def revisions_of(app, slug: str) -> list[PageRevision]:
    with app.app_context():
        found = list(
            db.session.scalars(
                sa.select(PageRevision)
                .join(Page, Page.id == PageRevision.page_id)
                .where(Page.slug == slug)
                .order_by(PageRevision.number)
            )
        )
        db.session.expunge_all()
        return found


def page(app, slug: str) -> Page | None:
    with app.app_context():
        found = db.session.scalar(sa.select(Page).where(Page.slug == slug))
        if found is not None:
            _ = found.steps, found.tags
            db.session.expunge_all()
        return found
