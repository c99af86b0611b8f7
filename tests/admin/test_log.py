"""The audit trail for administrators: every feature, filtered by person, object type and
date range, newest first, a page at a time."""

import re
from datetime import UTC, datetime
from pathlib import Path

from bs4 import BeautifulSoup

from portal import audit
from portal.admin import trail
from portal.audit import AuditEntry
from portal.extensions import db


def add(app, actor: str, action: str, obj_type: str, obj_id, at: datetime, n: int = 1):
    with app.app_context():
        for _ in range(n):
            entry = audit.record(None, action, obj_type, obj_id)
            entry.actor, entry.at = actor, at
        db.session.commit()


def rows(client, url: str) -> list[list[str]]:
    html = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in html.select("tbody tr")
    ]


def test_log_shows_every_feature_with_who_what_when(app, client, admin):
    add(app, "red@example.com", "create", "news", 7, datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    add(app, "kontakt@example.com", "update", "contact", 3, datetime(2026, 3, 1, tzinfo=UTC))
    found = rows(client, "/admin/log?fra=2026-03-01&til=2026-03-02")
    assert found[0][1:4] == ["red@example.com", "oprettet", "Nyheder 7"]
    assert "2. marts 2026 kl. 10.30" in found[0][0]  # local time
    assert found[1][1:4] == ["kontakt@example.com", "ændret", "Kontaktpersoner 3"]


def test_log_filters_by_person_type_and_dates(app, client, admin):
    add(app, "a@example.com", "create", "event", 1, datetime(2026, 1, 10, 12, tzinfo=UTC))
    add(app, "a@example.com", "update", "page", "groen-linie", datetime(2026, 2, 10, tzinfo=UTC))
    add(app, "b@example.com", "create", "event", 2, datetime(2026, 2, 11, 12, tzinfo=UTC))
    by_person = rows(client, "/admin/log?person=a@example.com")
    assert [r[3] for r in by_person] == ["Vejviser og sagsgange groen-linie", "Kalender 1"]
    by_type = rows(client, "/admin/log?type=event")
    assert [r[3] for r in by_type] == ["Kalender 2", "Kalender 1"]
    # 23:30 UTC on 10 February is 11 February in Copenhagen: the dates are local.
    add(app, "b@example.com", "delete", "event", 3, datetime(2026, 2, 10, 23, 30, tzinfo=UTC))
    in_range = rows(client, "/admin/log?type=event&fra=2026-02-11&til=2026-02-11")
    assert [r[3] for r in in_range] == ["Kalender 2", "Kalender 3"]
    both = rows(client, "/admin/log?person=b@example.com&type=event&til=2026-02-10")
    assert both == []
    html = client.get("/admin/log").get_data(as_text=True)
    assert '<option value="event">Kalender</option>' in html
    assert "<option>a@example.com</option>" in html


def test_bad_dates_get_a_field_error(client, admin):
    response = client.get("/admin/log?fra=igaar&til=2026-01-01")
    assert response.status_code == 400
    assert "Skriv datoen som åååå-mm-dd." in response.get_data(as_text=True)
    backwards = client.get("/admin/log?fra=2026-02-01&til=2026-01-01")
    assert "Til-datoen er før fra-datoen." in backwards.get_data(as_text=True)


def test_log_is_paginated(app, client, admin):
    at = datetime(2025, 5, 1, tzinfo=UTC)
    add(app, "mange@example.com", "update", "news", 1, at, n=trail.PAGE_SIZE + 5)
    first = rows(client, "/admin/log?person=mange@example.com")
    second = rows(client, "/admin/log?person=mange@example.com&side=2")
    assert len(first) == trail.PAGE_SIZE and len(second) == 5
    html = client.get("/admin/log?person=mange@example.com").get_data(as_text=True)
    assert "/admin/log?side=2&amp;person=mange@example.com" in html
    assert len(rows(client, "/admin/log?person=mange@example.com&side=99")) == 5  # the last


def test_admin_actions_appear_in_the_log(client, admin, make_user, post):
    user = make_user("staff")
    post(f"/admin/brugere/{user.id}/rolle", role="contact")
    found = rows(client, "/admin/log?type=user&person=admin@example.com")
    assert found[0][2:] == [
        "rolle ændret",
        f"Brugere og login {user.id}",
        "rolle: Medarbejder → Kontaktperson",
    ]


def test_every_action_and_object_type_written_in_code_has_a_danish_label():
    """The log shows an unknown code as it is stored ("withdraw", "contact_team"): each one
    that the code writes literally is named in Danish."""
    call = re.compile(r'audit\.record\(\s*[^,()]+(?:\([^()]*\))?,\s*"(\w+)",\s*"(\w+)"')
    written = [
        m.groups() for p in Path("portal").rglob("*.py") for m in call.finditer(p.read_text())
    ]
    assert len(written) > 30  # the pattern still finds the calls
    assert sorted({a for a, _ in written} - set(trail.ACTIONS)) == []
    assert sorted({t for _, t in written} - set(trail.OBJECT_TYPES)) == []


def test_a_change_is_shown_in_danish_words():
    def shown(field, old, new):
        return trail.change(AuditEntry(field=field, old_value=old, new_value=new))

    assert shown("active", "True", "False") == "aktiv: ja → nej"
    assert shown("published_at", None, "2026-11-29T04:39:10.297174+00:00") == (
        "udgives: – → 29.11.2026 05.39"  # local time
    )
    assert shown("job_title", "Rådgiver", "Jobkonsulent") == "stilling: Rådgiver → Jobkonsulent"
    assert shown("ukendt_felt", "a", "b") == "ukendt_felt: a → b"
    assert shown(None, None, None) == ""
