"""No lost update on an event: edits wait for each other on the event's row lock and are
checked against their form's version under it, so of several saves of one version exactly one
is accepted and every other is refused with the conflict message (issue 18, #2). On PostgreSQL,
with one process per editor."""

import pytest

from portal.calendar.models import Event
from portal.extensions import db
from tests.calendar.conftest import soon
from tests.concurrent_saves import save_at_once

SAVERS = 5


def test_concurrent_edits_of_one_version_accept_exactly_one(
    app, database_url, tmp_path, make_user, make_event
):
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes: PostgreSQL (SQLite serialises every write)")
    event_id = make_event()
    with app.app_context():
        version = db.session.get(Event, event_id).version
    emails = [make_user("editor").email for _ in range(SAVERS)]
    form = {
        "kind": "network",
        "administration": "both",
        "day": soon(40).isoformat(),
        "start": "13:00",
        "end": "15:00",
        "location": "Københavns Rådhus",
        "organiser": "",
        "repeat": "",
        "interval": "1",
        "version": str(version),
    }
    forms = [form | {"title": f"Rettelse {n}", "description": f"Tekst {n}"} for n in range(SAVERS)]
    results = save_at_once(
        database_url,
        tmp_path,
        emails,
        f"/kalender/{event_id}/rediger",
        forms,
        "portal.calendar.services.check_version",
    )
    accepted = [n for n, r in enumerate(results) if r["status"] == 302]
    assert len(accepted) == 1, results
    refused = [r for n, r in enumerate(results) if n not in accepted]
    assert all(r["status"] == 409 and r["conflict"] for r in refused), results
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert (event.title, event.version) == (f"Rettelse {accepted[0]}", version + 1)
