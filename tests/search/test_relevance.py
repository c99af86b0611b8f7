"""Realistic staff queries against the real content: the named page is in the top three."""

import pytest

from tests.search.conftest import ENGINES, engine_app

QUERIES = [
    ("grøn linie", "/vejviser/groen-linie"),
    ("grøn linje", "/vejviser/groen-linie"),  # the synonym
    ("oprette grøn linie for en borger", "/vejviser/groen-linie"),
    ("matchgrupper", "/vejviser/matchgrupper"),
    ("matchgruppe 4 og 5", "/vejviser/matchgrupper"),
    ("social handleplan", "/vejviser/social-handleplan"),
    ("procesnotat", "/vejviser/social-handleplan"),
    ("borger siger nej til handleplan", "/vejviser/social-handleplan"),
    ("jobplan", "/vejviser/jobplan"),
    ("samtykke", "/vejviser/samtykke"),
    ("samtykkeerklæring", "/vejviser/samtykke"),
    ("tilbudspakker", "/vejviser/tilbudspakker"),
    ("kombinationspakke", "/vejviser/tilbudspakker"),
    ("hotline", "/vejviser/bif-organisation"),
    ("jobcenter", "/vejviser/bif-organisation"),
    ("én indgang SOF", "/vejviser/sof-organisation"),
    ("specialenheden", "/vejviser/specialenheden"),
    ("kontaktperson", "/vejviser/kontaktpersonordningen"),
    ("uenighed mellem BIF og SOF", "/sagsgange/uenighed-mellem-bif-og-sof"),
    ("tvist", "/sagsgange/uenighed-mellem-bif-og-sof"),
    ("hjemløs", "/sagsgange/hjemloes-borger"),
    ("handicap", "/sagsgange/borger-med-handicap"),
    ("misbrug", "/sagsgange/borger-med-misbrug"),
    ("sanktion", "/sagsgange/borger-henvender-sig-til-sof-efter-sanktion"),
    ("ydelsen stopper", "/sagsgange/borger-henvender-sig-til-sof-efter-sanktion"),
    ("markering i IT-systemet", "/sagsgange/borger-i-jobcentret-har-brug-for-sof"),
    ("koordineringsmøde rådgivningscenter", "/sagsgange/fremskudt-sagsbehandling"),
    ("samarbejdsmodel syv trin", "/sagsgange/samarbejdsmodellen"),
    ("bydelsmødre", "/vejviser/kvinder-med-anden-etnisk-baggrund"),
    ("kvinder anden etnisk baggrund", "/vejviser/kvinder-med-anden-etnisk-baggrund"),
    ("aktiveringsgrad", "/vejviser/maal-og-resultater"),
    ("gå-hjem-møde", "/vejviser/vidensdeling"),
    ("metodeudvikling", "/vejviser/metodeudviklingsprojekter"),
    ("længerevarende tilbud 10 timer", "/vejviser/laengerevarende-beskaeftigelsesrettede-tilbud"),
    ("fremskudt sagsbehandling", "/sagsgange/fremskudt-sagsbehandling"),
    ("ordliste forkortelser", "/ordliste"),
    ("psykisk syg borger", "/sagsgange/borger-med-psykisk-sygdom"),
    ("kilder", "/vejviser/om-kilderne"),
    ("gældsrådgivning", "/vejviser/gaeldsraadgivning-og-socialoekonomiske-virksomheder"),
    ("partnervold", "/vejviser/kvinder-med-anden-etnisk-baggrund"),
    ("integrationsplan SOF 2011-2014", "/vejviser/sofs-handleplan-for-integration-2011-2014"),
    ("Socialforvaltningen", "/vejviser/sof-organisation"),  # long form finds the abbreviation
    ("samtyke", "/vejviser/samtykke"),  # a typo
    ("tilbudspaker", "/vejviser/tilbudspakker"),  # a typo
    ("handleplaner", "/vejviser/social-handleplan"),  # inflected
]


def test_there_are_at_least_30_queries():
    assert len(QUERIES) >= 30


@pytest.fixture(scope="module", params=ENGINES)
def answers(request, tmp_path_factory):
    """Index the content once for every query (read-only), with each engine."""
    from portal import search

    tmp = tmp_path_factory.mktemp("relevance")
    with engine_app(request.param, tmp, demo=False) as app, app.test_request_context():
        yield {q: [r.url for r in search.search(q).results[:3]] for q, _ in QUERIES}


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_page_is_in_the_top_three(answers, query, expected):
    assert expected in answers[query], f"{query!r}: {answers[query]}"
