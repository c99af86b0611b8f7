"""Issue 14 #9: the directory's search box finds what global search finds among contact persons
(the same Danish analysis, glossary synonyms and ASCII spellings), with the demo data."""

import pytest

from portal import search
from portal.contacts import demo
from portal.extensions import db
from portal.kb.sync import sync_content
from portal.text import danish_sort_key
from tests.conftest import make_test_app

# Words staff type: a compound's part, a glossary synonym, ASCII spellings of æ/ø/å, an
# inflection, a first name and a team.
QUERIES = [
    "socialcenter",
    "socialcentret",
    "groen linie",
    "grøn linje",
    "misbrug",
    "misbrugere",
    "jobcentret",
    "hjemloeshed",
    "Søren",
    "voksenteam",
    "rådgivningscenter",
    "Hotline",
]


@pytest.fixture(scope="module")
def demo_indexed(tmp_path_factory):
    """The real content (glossary, pages) and the demo contact persons, indexed once for the
    module (the tests only read)."""
    tmp = tmp_path_factory.mktemp("directory_search")
    app = make_test_app(f"sqlite:///{tmp / 'db.sqlite3'}", tmp)
    with app.app_context():
        db.create_all()
        sync_content()
        demo.create()
        db.session.commit()
        search.rebuild()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(demo_indexed):
    return demo_indexed.test_client()


def global_contact_urls(app, q: str) -> set[str]:
    """Every contact person /soeg finds for ``q`` (all pages)."""
    urls: set[str] = set()
    with app.test_request_context():
        page = 1
        while True:
            found = search.search(q, kind="kontaktpersoner", page=page)
            urls.update(r.url for r in found.results)
            if page >= found.pages:
                return urls
            page += 1


def directory_urls(client, q: str) -> set[str]:
    answer = client.get("/api/contacts", query_string={"q": q}).get_json()
    return {c["url"] for c in answer["contacts"]}


@pytest.mark.parametrize("q", QUERIES)
def test_the_directory_finds_what_global_search_finds(demo_indexed, client, q):
    wanted = global_contact_urls(demo_indexed, q)
    assert wanted, f"global search finds no contact for {q!r}: the test proves nothing"
    found = directory_urls(client, q)
    assert wanted <= found, f"{q!r}: the directory misses {sorted(wanted - found)}"


def test_the_directory_page_shows_them_with_the_other_filters(demo_indexed, client):
    everyone = directory_urls(client, "socialcenter")
    answer = client.get(
        "/api/contacts", query_string={"q": "socialcenter", "forvaltning": "BIF"}
    ).get_json()
    assert answer["total"] == 0 < len(everyone)  # the socialcentre is SOF's: filters still apply
    page = client.get("/kontaktpersoner/", query_string={"q": "groen linie"})
    assert page.status_code == 200
    assert "grøn linie" in page.get_data(as_text=True)


def test_whoever_matches_every_word_comes_before_the_broader_hits(client):
    everyone = [c["name"] for c in client.get("/api/contacts").get_json()["contacts"]]
    name = everyone[5]  # "Fornavn Demo-Efternavn"
    found = [
        c["name"]
        for c in client.get("/api/contacts", query_string={"q": name}).get_json()["contacts"]
    ]
    exact = found.count(name)
    assert exact >= 1 and found[:exact] == [name] * exact, found
    assert found[exact:] == sorted(found[exact:], key=danish_sort_key)  # then the others, A-Å


def test_a_phone_number_or_an_e_mail_address_finds_the_person_who_has_it(client):
    """As staff type a number from a missed call or an address from a mail: with or without
    +45, spaces or capitals. The index holds no such words ("30", "13"): without this,
    /soeg answered with pages that happened to hold one of the pairs, and the directory with
    everyone whose address held "30" or whose e-mail held "demo"."""
    person = client.get("/api/contacts").get_json()["contacts"][7]
    national = person["phone"].removeprefix("+45")  # "+4530130107" -> "30130107"
    spaced = " ".join(national[i : i + 2] for i in range(0, 8, 2))
    for q in (spaced, national, f"+45 {spaced}", f" {person['email'].upper()} "):
        found = client.get("/api/search", query_string={"q": q}).get_json()
        assert [r["url"] for r in found["results"]] == [person["url"]], q
        assert found["total"] == 1 and found["notice"] is None, q
        directory = client.get("/api/contacts", query_string={"q": q}).get_json()["contacts"]
        assert [c["url"] for c in directory] == [person["url"]], q
    page = client.get("/soeg", query_string={"q": spaced, "side": 2}).get_data(as_text=True)
    assert f'href="{person["url"]}"' in page and "1 resultat " in page  # page 1: there is one


def test_a_number_or_address_nobody_has_finds_nothing_not_near_misses(client):
    person = client.get("/api/contacts").get_json()["contacts"][7]
    other = "SOF" if person["administration"] == "BIF" else "BIF"
    for q in ("99 99 99 99", "ingen.her@example.com"):
        found = client.get("/api/search", query_string={"q": q}).get_json()
        assert found["results"] == [] and found["total"] == 0, (q, found)
        assert client.get("/api/contacts", query_string={"q": q}).get_json()["contacts"] == []
    # Within filters that leave the person out: nothing, and the filters say where they are.
    for filters in ({"kind": "vejviser"}, {"administration": other}):
        found = client.get("/api/search", query_string={"q": person["email"], **filters})
        assert found.get_json()["results"] == [], filters
    page = client.get("/soeg", query_string={"q": person["email"], "type": "vejviser"})
    assert "med de valgte afgrænsninger" in page.get_data(as_text=True)
    assert "søge uden afgrænsninger" in page.get_data(as_text=True)  # which finds the person


def test_a_page_past_the_last_shows_the_last(client):
    last = client.get("/api/search", query_string={"q": "borger"}).get_json()
    pages = -(-last["total"] // 10)
    assert pages >= 2, "the demo data should give several pages"
    beyond = client.get("/api/search", query_string={"q": "borger", "page": pages + 5}).get_json()
    assert beyond["page"] == pages and beyond["results"]
