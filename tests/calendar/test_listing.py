"""The list by month with filters kept in the URL, past meetings, and the month grid."""

from datetime import timedelta

from bs4 import BeautifulSoup

from portal.calendar import listing
from tests.calendar.conftest import soon


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def titles(page) -> list[str]:
    return [" ".join(h.get_text().split()) for h in page.select(".event-item h3")]


def test_upcoming_grouped_by_month_and_filtered(client, make_event):
    make_event(title="Netværk", day=soon(10))
    make_event(title="Kursus for BIF", kind="course", administration="BIF", day=soon(40))
    make_event(title="Kursus for SOF", kind="course", administration="SOF", day=soon(41))
    make_event(title="Holdt", day=soon(-5))
    page = soup(client.get("/kalender/"))
    assert titles(page) == ["Netværk", "Kursus for BIF", "Kursus for SOF"]
    months = [h.get_text() for h in page.select(".month-group h2")]
    assert months and all(m[0].isupper() and m[-4:].isdigit() for m in months)
    assert titles(soup(client.get("/kalender/?type=kursus"))) == [
        "Kursus for BIF",
        "Kursus for SOF",
    ]
    assert titles(soup(client.get("/kalender/?forvaltning=SOF"))) == ["Netværk", "Kursus for SOF"]
    page = soup(client.get("/kalender/?type=kursus&forvaltning=BIF"))
    assert titles(page) == ["Kursus for BIF"]
    # The filters stay in the other views' links and in the feed's address.
    links = {a.get_text(): a["href"] for a in page.select(".view-switch a")}
    assert all("type=kursus" in h and "forvaltning=BIF" in h for h in links.values())
    assert "type=kursus&forvaltning=BIF" in page.select_one(".feed-link")["href"]
    assert page.select_one("#filter-type option[selected]")["value"] == "kursus"


def test_past_meetings_newest_first(client, make_event):
    make_event(title="For en måned siden", day=soon(-30))
    make_event(title="I sidste uge", day=soon(-7))
    make_event(title="Kommende", day=soon(7))
    assert titles(soup(client.get("/kalender/tidligere"))) == ["I sidste uge", "For en måned siden"]


def test_a_long_list_is_cut_and_says_so(client, make_event, monkeypatch):
    monkeypatch.setattr(listing, "LIST_LIMIT", 2)
    first = soon(3)
    make_event(title="Ugentlig", day=first, frequency="WEEKLY", until=first + timedelta(days=21))
    page = soup(client.get("/kalender/"))
    assert len(titles(page)) == 2
    assert "Listen viser de første 2 møder." in page.select_one(".flash-info").get_text()


def test_month_grid_and_its_neighbours(client, make_event):
    make_event(title="Januarmøde", day=soon(0).replace(year=2031, month=1, day=15))
    page = soup(client.get("/kalender/maaned/2031/1?type=netvaerksmoede"))
    assert page.h1.get_text() == "Januar 2031"
    cell = next(td for td in page.select("td") if "Januarmøde" in td.get_text())
    assert "onsdag 15. januar" in cell.get_text()
    nav = {a["rel"][0]: a["href"] for a in page.select(".month-nav a")}
    assert nav == {
        "prev": "/kalender/maaned/2030/12?type=netvaerksmoede",
        "next": "/kalender/maaned/2031/2?type=netvaerksmoede",
    }
    assert client.get("/kalender/maaned/2031/13").status_code == 404
    assert client.get("/kalender/maaned/1999/1").status_code == 404
