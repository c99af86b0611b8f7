"""Saving pages: old addresses redirect for good, and the seven-step model is written once and
shown on every procedure that follows it."""

from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.kb.models import Page, PageRedirect


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_old_addresses_of_merged_and_renamed_pages_redirect(client, synced):
    for old, new in [
        ("/vejviser/avanceret-sagsbehandling", "/sagsgange/fremskudt-sagsbehandling"),
        (
            "/sagsgange/koordineringsmoede-paa-raadgivningscenter",
            "/sagsgange/fremskudt-sagsbehandling",
        ),
        ("/sagsgange/opret-groen-linie", "/vejviser/groen-linie"),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response.headers["Location"].endswith(new)
        assert client.get(new).status_code == 200
    assert client.get("/vejviser/findes-slet-ikke").status_code == 404


def test_a_removed_page_with_an_old_address_still_stays_unpublished(app, synced):
    """The merged pages are gone from the lists; only their addresses live on."""
    with app.app_context():
        old = db.session.scalar(sa.select(Page).where(Page.slug == "avanceret-sagsbehandling"))
        assert old is None or not old.published
        target = db.session.get(PageRedirect, "avanceret-sagsbehandling").page
        assert target.slug == "fremskudt-sagsbehandling" and target.published


def test_a_slug_that_becomes_a_page_again_stops_redirecting(app, client, sync, content_dir):
    sync()
    source = content_dir / "vejviser" / "groen-linie.md"
    revived = content_dir / "sagsgange" / "opret-groen-linie.md"
    text = source.read_text(encoding="utf-8").replace("  - opret-groen-linie\n", "")
    text = text.replace("redirect_from: [opret-groen-linie]\n", "")
    source.write_text(text, encoding="utf-8")
    procedure = (content_dir / "sagsgange" / "hjemloes-borger.md").read_text(encoding="utf-8")
    revived.write_text(procedure, encoding="utf-8")
    sync()
    assert client.get("/sagsgange/opret-groen-linie").status_code == 200
    with app.app_context():
        assert db.session.get(PageRedirect, "opret-groen-linie") is None


def test_procedures_that_follow_the_model_show_it_from_its_one_source(app, client, synced):
    with app.app_context():
        model = db.session.scalar(sa.select(Page).where(Page.slug == "samarbejdsmodellen"))
        titles = [s.title for s in model.steps]
        following = db.session.scalars(
            sa.select(Page.slug).where(Page.follows_model, Page.slug != "samarbejdsmodellen")
        ).all()
    assert len(titles) == 7 and following
    for slug in following:
        page = soup(client.get(f"/sagsgange/{slug}"))
        box = page.select_one(".model-summary")
        assert box is not None, slug
        assert [li.contents[0].strip() for li in box.select("li")] == titles
        assert page.select(".step-model"), slug  # each step says which model step it is
    # Change the model once: every following procedure shows the change.
    with app.app_context():
        model = db.session.scalar(sa.select(Page).where(Page.slug == "samarbejdsmodellen"))
        model.steps[0].title = "Lav en jobplan (rettet)"
        db.session.commit()
    page = soup(client.get(f"/sagsgange/{following[0]}"))
    assert "Lav en jobplan (rettet)" in page.select_one(".model-summary").get_text()


def test_the_model_page_and_procedures_outside_it_show_no_model_box(client, synced):
    assert soup(client.get("/sagsgange/samarbejdsmodellen")).select_one(".model-summary") is None
    page = soup(client.get("/sagsgange/uenighed-mellem-bif-og-sof"))
    assert page.select_one(".model-summary") is None and not page.select(".step-model")
