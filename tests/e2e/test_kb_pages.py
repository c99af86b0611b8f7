"""Vejviser and sagsgange in a real browser: the two-lane diagram, print, and axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_axe


@pytest.mark.parametrize(
    "path",
    [
        "/vejviser/",
        "/vejviser/groen-linie",
        "/vejviser/maal-og-resultater",
        "/sagsgange/",
        "/sagsgange/samarbejdsmodellen",
        "/ordliste",
        "/emne/samtykke",
    ],
)
def test_kb_pages_have_no_axe_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    check_axe(page)


def test_procedure_shows_both_lanes_and_prints_without_navigation(page):
    page.goto("/sagsgange/samarbejdsmodellen")
    bif = page.locator(".lanes .step-bif").first
    sof = page.locator(".lanes .step-sof").first
    both = page.locator(".lanes .step-both").first
    for step in (bif, sof, both):
        expect(step).to_be_visible()
    bif_box, sof_box, both_box = bif.bounding_box(), sof.bounding_box(), both.bounding_box()
    assert bif_box["x"] + bif_box["width"] <= sof_box["x"], "BIF's lane is left of SOF's"
    assert both_box["width"] > 1.8 * bif_box["width"], "a joint step spans both lanes"
    # A screen reader meets an ordered list of seven steps.
    items = page.get_by_role("list").filter(has=page.locator(".step")).get_by_role("listitem")
    assert items.count() == 7

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_hidden()
    expect(page.locator(".breadcrumbs")).to_be_hidden()
    expect(page.locator(".lanes .step-sof").first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_procedure_filter_by_administration(page):
    page.goto("/sagsgange/")
    total = page.locator(".page-list > li").count()
    page.get_by_role("link", name="BIF", exact=True).click()
    assert page.url.endswith("?forvaltning=BIF")
    assert 0 < page.locator(".page-list > li").count() <= total
