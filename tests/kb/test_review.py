"""Review (issue 11): each page has a review interval (its own, or PORTAL_REVIEW_AFTER_DAYS);
"Marker som gennemgået" records a review revision and sets the date; readers of an overdue
page see a discreet note; Redaktion lists overdue pages with the viewer's own pages first."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.models import Page
from portal.timeutil import local_today
from tests.conftest import csrf_token
from tests.kb.editing_helpers import form_data, page, revisions_of, soup

GUIDE = "groen-linie"


def _age(app, slug: str, days: int, owner: str | None = None) -> None:
    with app.app_context():
        found = db.session.scalar(sa.select(Page).where(Page.slug == slug))
        found.reviewed = local_today() - timedelta(days=days)
        if owner:
            found.owner = owner
        db.session.commit()


@pytest.fixture
def editor(synced, auth, make_user):
    make_user("editor", email="red@example.com", name="Rikke Redaktør")
    auth.login("red@example.com")


def test_an_overdue_page_tells_readers_and_a_fresh_one_does_not(app, client, synced):
    assert not soup(client.get(f"/vejviser/{GUIDE}")).select_one(".review-note")
    _age(app, GUIDE, 400)
    note = soup(client.get(f"/vejviser/{GUIDE}")).select_one(".review-note")
    assert "ikke gennemgået siden" in note.get_text()


def test_marking_reviewed_sets_today_with_a_revision(app, client, editor):
    _age(app, GUIDE, 400)
    token = csrf_token(client, f"/vejviser/{GUIDE}")
    version = page(app, GUIDE).version
    response = client.post(
        f"/vejviser/{GUIDE}/gennemgaaet", data={"csrf_token": token, "version": version}
    )
    assert response.status_code == 302
    assert page(app, GUIDE).reviewed == local_today()
    assert revisions_of(app, GUIDE)[-1].action == "review"
    assert not soup(client.get(f"/vejviser/{GUIDE}")).select_one(".review-note")


def test_a_page_may_have_its_own_interval(app, client, editor):
    _age(app, GUIDE, 40)
    assert not soup(client.get(f"/vejviser/{GUIDE}")).select_one(".review-note")
    url = f"/vejviser/{GUIDE}/rediger"
    assert client.post(url, data=form_data(client.get(url)) | {"review_days": "30"}).status_code
    assert page(app, GUIDE).review_days == 30
    assert soup(client.get(f"/vejviser/{GUIDE}")).select_one(".review-note")
    refused = client.post(url, data=form_data(client.get(url)) | {"review_days": "2"})
    assert refused.status_code == 400 and soup(refused).select_one("#review_days-fejl")


def test_redaktion_lists_my_overdue_pages_first(app, client, editor):
    _age(app, "jobplan", 800)
    _age(app, GUIDE, 400, owner="Rikke Redaktør")
    section = soup(client.get("/redaktion")).find(id="r-gennemsyn").find_parent("section")
    links = [a["href"] for a in section.select("li a")]
    assert links[:2] == [f"/vejviser/{GUIDE}", "/vejviser/jobplan"]


def test_the_review_date_reaches_the_exported_front_matter(app, client, editor, tmp_path):
    from portal.kb import export

    _age(app, GUIDE, 10)
    with app.app_context():
        export.export(tmp_path)
    text = (tmp_path / "vejviser" / f"{GUIDE}.md").read_text()
    assert f"reviewed: {(local_today() - timedelta(days=10)).isoformat()}" in text
