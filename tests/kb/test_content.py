"""The real content: every seed topic has a page, every page validates and renders."""

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.extensions import db
from portal.kb.models import GlossaryTerm, Page, Step

GUIDES = [
    "strategi-og-maalgruppe",
    "matchgrupper",
    "bif-organisation",
    "sof-organisation",
    "specialenheden",
    "kontaktpersonordningen",
    "groen-linie",
    "social-handleplan",
    "jobplan",
    "samtykke",
    "tilbudspakker",
    "laengerevarende-beskaeftigelsesrettede-tilbud",
    "metodeudviklingsprojekter",
    "vidensdeling",
    "kvinder-med-anden-etnisk-baggrund",
    "gaeldsraadgivning-og-socialoekonomiske-virksomheder",
    "maal-og-resultater",
    "sofs-handleplan-for-integration-2011-2014",
    "om-kilderne",
    "ordliste",
]
PROCEDURES = [
    "samarbejdsmodellen",
    "borger-i-jobcentret-har-brug-for-sof",
    "borger-henvender-sig-til-sof-efter-sanktion",
    "hjemloes-borger",
    "borger-med-handicap",
    "borger-med-misbrug",
    "borger-med-psykisk-sygdom",
    "fremskudt-sagsbehandling",
    "uenighed-mellem-bif-og-sof",
]


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_every_seed_topic_has_a_published_page(app, synced):
    with app.app_context():
        pages = {p.slug: p.kind for p in db.session.scalars(sa.select(Page))}
    assert {s: pages.get(s) for s in GUIDES} == dict.fromkeys(GUIDES, "guide")
    assert {s: pages.get(s) for s in PROCEDURES} == dict.fromkeys(PROCEDURES, "procedure")


def test_every_page_renders_with_title_owner_and_review_date(app, client, synced):
    with app.app_context():
        pages = [(p.kind, p.slug, p.title, p.owner) for p in db.session.scalars(sa.select(Page))]
    for kind, slug, title, owner in pages:
        url = f"/{'sagsgange' if kind == 'procedure' else 'vejviser'}/{slug}"
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        page = soup(response)
        assert page.h1.get_text(strip=True) == title
        facts = page.select_one(".page-facts").get_text(" ", strip=True)
        assert owner in facts and "Senest gennemgået" in facts
        assert page.select_one("nav[aria-label=Brødkrumme]") is not None


def test_guides_are_substantial(app, synced):
    with app.app_context():
        for page in db.session.scalars(sa.select(Page).where(Page.kind == "guide")):
            assert len(page.body_source.split()) >= 150, page.slug
            assert "Kort fortalt" in page.body_source, page.slug


def test_every_procedure_step_has_a_valid_owner(app, synced):
    with app.app_context():
        procedures = db.session.scalars(sa.select(Page).where(Page.kind == "procedure")).all()
        assert len(procedures) >= 9
        for page in procedures:
            assert page.steps and page.trigger, page.slug
            assert {s.owner for s in page.steps} <= {"BIF", "SOF", "both"}
            assert [s.position for s in page.steps] == list(range(1, len(page.steps) + 1))
        model = next(p for p in procedures if p.slug == "samarbejdsmodellen")
        assert len(model.steps) == 7
        assert db.session.scalar(sa.select(sa.func.count(Step.id))) >= 40


def test_glossary_has_40_terms_with_long_forms(app, client, synced):
    with app.app_context():
        terms = {t.term: t for t in db.session.scalars(sa.select(GlossaryTerm))}
    assert len(terms) >= 40
    assert terms["BIF"].long_form == "Beskæftigelses- og Integrationsforvaltningen"
    assert "grøn linje" in [s.lower() for s in terms["Grøn linie"].synonyms]
    page = soup(client.get("/ordliste"))
    assert len(page.select("dl.glossary dt")) == len(terms)
    assert page.select_one("dt#bif") is not None


def test_glossary_sorts_in_danish_order(client, synced):
    names = [
        dt.contents[0].strip() for dt in soup(client.get("/ordliste")).select("dl.glossary dt")
    ]
    firsts = [n[0].upper() for n in names]
    # Æ, Ø and Å come after Z, in that order.
    tail = [c for c in firsts if c in "ÆØÅ"]
    assert tail == sorted(tail, key="ÆØÅ".index)
    if tail:
        assert firsts.index(tail[0]) > max(i for i, c in enumerate(firsts) if c <= "Z")


def test_glossary_terms_are_marked_where_they_first_occur(client, synced):
    page = soup(client.get("/vejviser/groen-linie"))
    body = page.select_one(".prose")
    marked = body.select("abbr[title='Socialforvaltningen']")
    assert len(marked) == 1 and marked[0].get_text() == "SOF"
    assert not body.select("h2 abbr, h3 abbr, a abbr")


def test_guide_list_is_grouped_by_category_in_reading_order(client, synced):
    page = soup(client.get("/vejviser/"))
    headings = [h.get_text() for h in page.select("main section h2")]
    assert headings[0] == "Strategi og organisation" and headings[-1] == "Opslag"
    assert page.select_one("a[href='/ordliste']") is not None


def test_procedure_list_shows_triggers_and_filters_by_administration(app, client, synced):
    page = soup(client.get("/sagsgange/"))
    assert len(page.select(".page-list > li")) == len(PROCEDURES)
    assert "Bruges når:" in page.select_one(".page-list").get_text()
    with app.app_context():
        db.session.execute(
            sa.update(Page).where(Page.slug == "hjemloes-borger").values(administration="BIF")
        )
        db.session.commit()
    sof = soup(client.get("/sagsgange/?forvaltning=SOF"))
    titles = [a.get_text() for a in sof.select(".page-list h3 a")]
    assert "Hjemløs borger" not in " ".join(titles) and len(titles) == len(PROCEDURES) - 1
    assert sof.select_one(".filter-links a[aria-current=page]").get_text() == "SOF"
    nav = sof.select_one("nav[aria-label=Hovedmenu] a[aria-current=page]")
    assert nav.get_text() == "Sagsgange"
    ignored = soup(client.get("/sagsgange/?forvaltning=<script>"))
    assert len(ignored.select(".page-list > li")) == len(PROCEDURES)


def test_procedure_is_an_ordered_list_of_steps_in_two_lanes(client, synced):
    page = soup(client.get("/sagsgange/samarbejdsmodellen"))
    steps = page.select("ol.lanes > li .step")
    assert len(steps) == 7
    owners = [s["class"][1] for s in steps]
    assert owners[:3] == ["step-bif"] * 3 and owners[3] == "step-sof"
    assert all("Ansvarlig:" in s.select_one(".step-owner").get_text() for s in steps)


def test_tag_pages(client, synced):
    page = soup(client.get("/sagsgange/samarbejdsmodellen"))
    tag_link = page.select_one(".tag-list a")
    tag_page = soup(client.get(tag_link["href"]))
    assert tag_page.h1.get_text() == f"Emne: {tag_link.get_text()}"
    assert "Samarbejdsmodellen i syv trin" in tag_page.get_text()
    assert client.get("/emne/findes-ikke").status_code == 404


def test_unknown_pages_are_404_and_the_glossary_address_redirects(client, synced):
    assert client.get("/vejviser/findes-ikke").status_code == 404
    assert client.get("/sagsgange/groen-linie").status_code == 404  # a guide, not a procedure
    response = client.get("/vejviser/ordliste")
    assert response.status_code == 301 and response.headers["Location"] == "/ordliste"


def test_related_pages_are_linked(client, synced):
    page = soup(client.get("/vejviser/groen-linie"))
    related = [a["href"] for a in page.select(".related a")]
    assert related and all(
        h.startswith(("/vejviser/", "/sagsgange/", "/ordliste")) for h in related
    )
