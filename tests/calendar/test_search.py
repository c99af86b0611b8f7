"""Meetings are searchable (kind "kalender"): a change is found when the request that made it
returns; a cancelled meeting stays findable, marked "Aflyst"; a deleted one is gone."""

import pytest

from portal import search
from portal.extensions import db
from tests.calendar.conftest import soon
from tests.conftest import csrf_token


@pytest.fixture
def app_config():
    return {"SEARCH_WRITER_TIMEOUT": 1.0, "SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def editor(app, client, auth, make_user):
    with app.app_context():
        search.rebuild()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")


def find(client, q, **params) -> list[dict]:
    response = client.get("/api/search", query_string={"q": q, **params})
    return response.get_json()["results"]


def create(client, **fields) -> str:
    data = {
        "title": "Fagligt gå-hjem-møde om grøn linie",
        "kind": "talk",
        "administration": "SOF",
        "day": soon(20).isoformat(),
        "start": "15:00",
        "end": "16:30",
        "location": "Kulturhuset Islands Brygge",
        "description": "Oplæg om visitation.",
        "csrf_token": csrf_token(client, "/kalender/ny"),
        **fields,
    }
    response = client.post("/kalender/ny", data=data)
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_new_meeting_is_found_at_once(client, editor):
    url = create(client)
    (hit,) = find(client, "gå-hjem-møde", kind="kalender")
    assert (hit["kind"], hit["url"], hit["administration"]) == ("kalender", url, "SOF")
    assert [r["url"] for r in find(client, "visitation")] == [url]
    assert [r["url"] for r in find(client, "islands brygge")] == [url]
    assert find(client, "gå-hjem-møde", kind="kalender", administration="BIF") == []


def test_a_cancelled_meeting_is_found_and_marked(client, editor):
    url = create(client)
    token = csrf_token(client, f"{url}/aflys")
    client.post(
        f"{url}/aflys",
        data={"csrf_token": token, "version": "0", "reason": "Oplægsholderen er syg."},
    )
    (hit,) = find(client, "gå-hjem-møde")
    assert hit["url"] == url and hit["title"] == "Aflyst: Fagligt gå-hjem-møde om grøn linie"
    assert "Oplægsholderen er syg" in hit["snippet"]


def test_a_deleted_meeting_is_gone_from_search(app, client, editor):
    url = create(client)
    assert find(client, "visitation")
    token = csrf_token(client, f"{url}/rediger")
    client.post(f"{url}/slet", data={"csrf_token": token, "slet-version": "0", "slet-confirm": "y"})
    assert find(client, "visitation") == []
    with app.app_context():
        assert search.check().ok


def test_a_cancelled_occurrence_reaches_the_index(app, client, editor):
    first = soon(15)
    url = create(client, day=first.isoformat(), repeat="WEEKLY", until=soon(40).isoformat())
    path = f"{url}/{first.isoformat()}/aflys"
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "version": "0", "reason": "Påskeferie."})
    assert [r["url"] for r in find(client, "påskeferie")] == [url]
    with app.app_context():
        report = search.check()
        assert report.ok, report


def test_fallback_finds_meetings_when_the_index_is_gone(app, client, editor, tmp_path):
    import shutil

    create(client)
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)  # none on PostgreSQL
    with app.app_context():
        from portal.calendar import search as calendar_search

        docs = calendar_search.fallback(["islands"])
        assert [d.kind for d in docs] == ["kalender"]
        db.session.rollback()
