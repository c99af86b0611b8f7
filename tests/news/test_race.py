"""No lost update: of several saves of a news item opened at the same version, exactly one is
accepted and every other is refused with the conflict message, the database checking the
version (issue 18, #2). On PostgreSQL, where the check in Python alone let two through."""

import pytest
from bs4 import BeautifulSoup

from portal.errors import Conflict
from portal.extensions import db
from portal.news import services
from portal.news.models import NewsItem
from tests.concurrent_saves import save_at_once
from tests.conftest import csrf_token

SAVERS = 5


def test_concurrent_saves_of_one_version_accept_exactly_one(
    app, database_url, tmp_path, make_user, make_news, get_news
):
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes: PostgreSQL (SQLite serialises every write)")
    item_id = make_news("Nyhed at rette")
    version = get_news(item_id).version
    emails = [make_user("editor").email for _ in range(SAVERS)]
    forms = [
        {"title": f"Rettelse {n}", "body": f"Tekst {n}", "administration": "both"}
        | {"version": str(version), "save": "Gem"}
        for n in range(SAVERS)
    ]
    results = save_at_once(
        database_url,
        tmp_path,
        emails,
        f"/redaktion/nyheder/{item_id}",
        forms,
        "portal.news.services.check_version",
    )
    accepted = [n for n, r in enumerate(results) if r["status"] == 302]
    assert len(accepted) == 1, results
    refused = [r for n, r in enumerate(results) if n not in accepted]
    assert all(r["status"] == 409 and r["conflict"] for r in refused), results
    item = get_news(item_id)
    assert item.title == f"Rettelse {accepted[0]}"
    assert item.version == version + 1


def _saved_by_another(item_id: int, title: str) -> None:
    """Another editor's save between our version check and our write (in our transaction, so
    that it works on SQLite too, where a second writer would wait)."""
    table = NewsItem.__table__
    db.session.execute(
        table.update().where(table.c.id == item_id).values(title=title, version=table.c.version + 1)
    )


def test_a_write_that_lost_the_race_is_the_conflict(app, make_news):
    """The database's check, after the one in Python passed: a Conflict, not a StaleDataError."""
    item_id = make_news("Nyhed")
    with app.app_context():
        item = db.session.get(NewsItem, item_id)
        version = item.version
        _saved_by_another(item_id, "Andens rettelse")
        with pytest.raises(Conflict, match="ændret af en anden"):
            services.update(item, services.NewsData(title="Min rettelse"), version, None)
        db.session.rollback()  # as the request does
        assert db.session.get(NewsItem, item_id).title == "Nyhed"


def test_the_form_keeps_the_text_when_the_write_lost_the_race(
    app, client, auth, make_user, make_news, get_news, monkeypatch
):
    item_id = make_news("Nyhed")
    auth.login(make_user("editor").email)
    url = f"/redaktion/nyheder/{item_id}"
    token = csrf_token(client, url)
    check = services.check_version

    def then_another_saves(item, expected, noun):
        check(item, expected, noun)
        if expected is not None:
            _saved_by_another(item_id, "Andens rettelse")

    monkeypatch.setattr(services, "check_version", then_another_saves)
    version = str(get_news(item_id).version)
    response = client.post(
        url,
        data={"csrf_token": token, "title": "Min rettelse", "body": "Min lange tekst"}
        | {"administration": "both", "version": version, "save": "Gem"},
    )
    assert response.status_code == 409
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "ændret af en anden" in page.select_one(".error-summary").get_text()
    assert page.select_one("#body").get_text().strip() == "Min lange tekst"
    assert get_news(item_id).title == "Nyhed"  # nothing of the attempt is kept


def test_every_change_raises_the_version_by_one(app):
    """The database raises it now (``version_id_col``), no longer the services."""
    with app.app_context():
        item = services.create(services.NewsData(title="Versioner"), None)
        seen = [item.version]
        services.update(item, services.NewsData(title="Versioner"), item.version, None)  # same
        seen.append(item.version)
        services.update(item, services.NewsData(title="Versioner 2"), item.version, None)
        seen.append(item.version)
        services.publish(item, None)
        seen.append(item.version)
        services.unpublish(item, None)
        seen.append(item.version)
        db.session.commit()
        assert seen == [1, 1, 2, 3, 4]
        assert db.session.get(NewsItem, item.id).version == 4
