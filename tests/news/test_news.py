"""News: visibility by status and time, slugs, pinning, the feed, search and the audit trail."""

from datetime import timedelta

import feedparser
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal import timeutil
from portal.audit import AuditEntry
from portal.db import utcnow
from portal.errors import Conflict, FieldErrors
from portal.extensions import db
from portal.news import reading, services
from portal.news.models import NewsItem


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def titles_on(client, url="/nyheder/") -> list[str]:
    return [a.get_text() for a in soup(client.get(url)).select(".news-list h3 a")]


def feed_titles(client) -> list[str]:
    return [e.title for e in feedparser.parse(client.get("/nyheder.atom").data).entries]


def search_titles(client, q) -> list[str]:
    return [r["title"] for r in client.get(f"/api/search?q={q}").get_json()["results"]]


def test_slug_is_danish_ascii_unique_and_stable(app, make_news, get_news):
    first = get_news(make_news("Grøn linie på Åbo Ærø"))
    second = get_news(make_news("Grøn linie på Åbo Ærø"))
    assert first.slug == "groen-linie-paa-aabo-aeroe"
    assert second.slug == "groen-linie-paa-aabo-aeroe-2"
    with app.app_context():
        item = db.session.get(NewsItem, first.id)
        services.update(item, services.NewsData(title="Helt ny titel"), item.version, None)
        db.session.commit()
    assert get_news(first.id).slug == "groen-linie-paa-aabo-aeroe"


def test_draft_is_invisible_on_page_list_feed_and_search(client, make_news, get_news):
    make_news("Synlig zebranyhed")
    draft_id = make_news("Hemmelig zebrakladde", published=None)
    assert get_news(draft_id).slug is None
    assert titles_on(client) == ["Synlig zebranyhed"]
    assert feed_titles(client) == ["Synlig zebranyhed"]
    assert search_titles(client, "zebrakladde") == []
    assert search_titles(client, "zebranyhed") == ["Synlig zebranyhed"]


def test_scheduled_item_is_invisible_until_its_time_then_visible(
    app, client, make_news, get_news, runner
):
    item_id = make_news("Planlagt pelikannyhed", published=2)
    slug = get_news(item_id).slug
    assert client.get(f"/nyheder/{slug}").status_code == 404
    assert titles_on(client) == [] and feed_titles(client) == []
    assert search_titles(client, "pelikannyhed") == []
    assert not get_news(item_id).announced
    # Its time comes (moved into the past: no sleeping).
    with app.app_context():
        db.session.get(NewsItem, item_id).published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = soup(client.get(f"/nyheder/{slug}"))
    assert page.h1.get_text() == "Planlagt pelikannyhed"  # visible by its time alone
    assert titles_on(client) == ["Planlagt pelikannyhed"]
    assert feed_titles(client) == ["Planlagt pelikannyhed"]
    assert not get_news(item_id).announced  # a GET writes nothing
    # Search learns of it from the jobs command (cron), which announces it once.
    result = runner.invoke(args=["portal", "jobs", "run"])
    assert result.exit_code == 0 and "1 planlagte nyheder" in result.output
    assert get_news(item_id).announced
    assert search_titles(client, "pelikannyhed") == ["Planlagt pelikannyhed"]
    again = runner.invoke(args=["portal", "jobs", "run"])
    assert "Ingen opgaver var forfaldne" in again.output


def test_visibility_with_an_injected_clock(app, make_news):
    item_id = make_news("Ur-nyhed", published=1)
    with app.app_context():
        now = utcnow()
        assert reading.latest(now=now) == []
        later = now + timedelta(days=2)
        assert [i.id for i in reading.latest(now=later)] == [item_id]
        assert services.announce_due(now=now) == 0
        assert services.announce_due(now=later) == 1


def test_unpublish_hides_everywhere_and_is_audited(app, client, make_news, get_news):
    item_id = make_news("Afpubliceret flamingonyhed")
    slug = get_news(item_id).slug
    assert search_titles(client, "flamingonyhed") == ["Afpubliceret flamingonyhed"]
    with app.app_context():
        services.unpublish(db.session.get(NewsItem, item_id), None)
        db.session.commit()
    assert client.get(f"/nyheder/{slug}").status_code == 404
    assert titles_on(client) == [] and feed_titles(client) == []
    assert search_titles(client, "flamingonyhed") == []
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.object_type == "news", AuditEntry.object_id == str(item_id))
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "publish", "unpublish"]


def test_list_is_newest_first_filters_by_administration_and_pages(client, make_news):
    make_news("Gammel BIF", published=-5, administration="BIF")
    make_news("Nyere SOF", published=-3, administration="SOF")
    make_news("Nyeste begge", published=-1, administration="both")
    assert titles_on(client) == ["Nyeste begge", "Nyere SOF", "Gammel BIF"]
    assert titles_on(client, "/nyheder/?forvaltning=BIF") == ["Nyeste begge", "Gammel BIF"]
    assert titles_on(client, "/nyheder/?forvaltning=SOF") == ["Nyeste begge", "Nyere SOF"]
    for n in range(10):
        make_news(f"Fyld {n}", published=-10 - n)
    first, second = titles_on(client), titles_on(client, "/nyheder/?side=2")
    assert len(first) == 10 and len(second) == 3 and second[-1] == "Fyld 9"
    assert soup(client.get("/nyheder/")).select_one(".pagination a[rel=next]")


def test_item_page_renders_markdown_safely_and_shows_updated(app, client, make_news, get_news):
    item_id = make_news("Nyhed med tekst", body="## Mellemrubrik\n\n<script>alert(1)</script>")
    slug = get_news(item_id).slug
    page = soup(client.get(f"/nyheder/{slug}"))
    assert page.select_one(".prose h2").get_text() == "Mellemrubrik"
    assert not page.select(".prose script") and page.select_one(".news-updated") is None
    with app.app_context():
        item = db.session.get(NewsItem, item_id)
        services.update(
            item, services.NewsData(title="Nyhed med tekst", body="Rettet."), item.version, None
        )
        db.session.commit()
    page = soup(client.get(f"/nyheder/{slug}"))
    assert "opdateret" in page.select_one(".news-updated").get_text()
    assert page.select_one(".prose").get_text().strip() == "Rettet."


def test_stale_edit_is_refused_with_conflict(app, make_news):
    item_id = make_news("Konfliktnyhed")
    with app.app_context():
        item = db.session.get(NewsItem, item_id)
        old = item.version
        services.update(item, services.NewsData(title="Første"), old, None)
        try:
            services.update(item, services.NewsData(title="Anden"), old, None)
        except Conflict:
            pass
        else:
            raise AssertionError("a stale edit was accepted")
        assert item.title == "Første"


def test_cpr_numbers_are_refused(app):
    with app.app_context():
        try:
            services.create(services.NewsData(title="Borger 010203-1234"), None)
        except FieldErrors as error:
            assert "CPR" in error.errors["title"]
        else:
            raise AssertionError("a CPR number was accepted")


def test_pinning_holds_until_its_date_then_expires(app, make_news):
    with app.app_context():
        today = timeutil.local_today()
    make_news("Fastgjort i dag", published=-3, pinned_until=today)
    make_news("Udløbet fastgørelse", published=-2, pinned_until=today - timedelta(days=1))
    make_news("Almindelig", published=-1)
    with app.app_context():
        pins, rest = reading.front_page()
        assert [i.title for i in pins] == ["Fastgjort i dag"]
        assert [i.title for i in rest] == ["Almindelig", "Udløbet fastgørelse"]
        tomorrow = utcnow() + timedelta(days=1)
        assert reading.pinned(now=tomorrow) == []


def test_feed_parses_with_stable_ids_and_correct_updated(app, client, make_news, get_news):
    first = make_news("Første nyhed i feedet", published=-3)
    make_news("Anden nyhed i feedet", published=-1, summary="Kort resumé.")
    parsed = feedparser.parse(client.get("/nyheder.atom").data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Nyheder fra BIF-SOF Portalen"
    assert [e.title for e in parsed.entries] == ["Anden nyhed i feedet", "Første nyhed i feedet"]
    entry = parsed.entries[1]
    assert entry.id == f"tag:bif-sof-portalen,2026:nyheder/{first}"
    assert entry.link.endswith(f"/nyheder/{get_news(first).slug}")
    assert parsed.entries[0].summary == "Kort resumé."
    published = get_news(first).published_at
    assert entry.updated_parsed[:5] == published.utctimetuple()[:5]
    # An edit changes the entry's and the feed's "updated", not its id.
    with app.app_context():
        item = db.session.get(NewsItem, first)
        services.update(item, services.NewsData(title="Første nyhed, rettet"), item.version, None)
        db.session.commit()
    edited = get_news(first).edited_at
    parsed = feedparser.parse(client.get("/nyheder.atom").data)
    entry = next(e for e in parsed.entries if e.id.endswith(f"/{first}"))
    assert entry.title == "Første nyhed, rettet"
    assert entry.updated_parsed[:5] == edited.utctimetuple()[:5]
    assert parsed.feed.updated_parsed[:5] == edited.utctimetuple()[:5]
    assert client.get("/nyheder.atom").mimetype == "application/atom+xml"


def test_a_title_is_one_line(app, client, make_news, get_news):
    """Issue 18, #11: no line break in a title (a feed entry, a page title, a search hit)."""
    item_id = make_news("Møde\nmed\r\nlinjeskift", summary="To\nlinjer")
    item = get_news(item_id)
    assert (item.title, item.summary) == ("Møde med linjeskift", "To linjer")
    with app.app_context():
        stored = db.session.get(NewsItem, item_id)
        services.update(stored, services.NewsData(title="Ny\u2028titel"), stored.version, None)
        db.session.commit()
    assert get_news(item_id).title == "Ny titel"
    parsed = feedparser.parse(client.get("/nyheder.atom").data)
    assert [e.title for e in parsed.entries] == ["Ny titel"]


def test_contact_passes_news_on(app, client, auth, make_user, make_news):
    make_news("Giv videre", pass_on=True)
    make_news("Ikke til videreformidling")
    make_user("contact", email="kp@example.com")
    auth.login("kp@example.com")
    page = soup(client.get("/nyheder/videreformidling"))
    assert [h.get_text() for h in page.select(".news-list h2")] == ["Giv videre"]
    form = page.select_one(".news-list form")
    token = form.select_one("input[name=csrf_token]")["value"]
    client.post(form["action"], data={"csrf_token": token})
    page = soup(client.get("/nyheder/videreformidling"))
    assert page.select_one(".status-done").get_text() == "Du har videreformidlet nyheden."
    assert page.select_one(".news-list form") is None
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "passed_on")
            )
            == 1
        )
