"""Review due: one digest per owner per week, listing their pages past review; pages without
a known owner go to the special unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.kb.models import Page


@pytest.fixture
def app_config(smtp):
    return {**smtp.config(), "MAIL_EDITORS": "specialenheden@example.com"}


def add_page(app, slug: str, owner: str, reviewed: date) -> None:
    with app.app_context():
        db.session.add(
            Page(
                slug=slug,
                kind="guide",
                title=f"Side {slug}",
                summary="",
                administration="both",
                category="",
                owner=owner,
                body_source="Tekst.",
                body_html="<p>Tekst.</p>",
                content_hash=slug,
                published=True,
                reviewed=reviewed,
            )
        )
        db.session.commit()


def run_jobs(app) -> None:
    result = app.test_cli_runner().invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0, result.output


def test_each_owner_gets_one_digest_a_week(app, make_user, smtp):
    make_user("editor", email="rikke@example.com", name="Rikke Redaktør")
    old = date.today() - timedelta(days=400)
    add_page(app, "a", "Rikke Redaktør", old)
    add_page(app, "b", "rikke@example.com", old)
    add_page(app, "c", "BIF-SOF specialenheden", old)
    add_page(app, "d", "Rikke Redaktør", date.today())  # not due
    run_jobs(app)
    run_jobs(app)  # the same week: nothing more
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp.received}
    assert set(by_address) == {"rikke@example.com", "specialenheden@example.com"}
    rikke = by_address["rikke@example.com"].get_body(("plain",)).get_content()
    assert "Side a" in rikke and "Side b" in rikke and "Side c" not in rikke
    assert "Side d" not in rikke and "http://localhost:5000/vejviser/a" in rikke
    assert "Side c" in by_address["specialenheden@example.com"].get_body(("plain",)).get_content()
    assert by_address["rikke@example.com"]["Subject"] == "2 side(r) på portalen skal gennemgås"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Page)) == 4
