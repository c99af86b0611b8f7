"""What a glossary change costs (issue 11), with the real content (~30 pages): rendering every
page again with the glossary (the figure that sent re-rendering to ``portal jobs run``), and an
editor's save of a term through the whole request (form, checks, the glossary page's revision,
flagging the pages that mention the word, the commit and the search indexing after it).

    .venv/bin/python bench/glossary_bench.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.auth import services as auth_services
from portal.extensions import db
from portal.kb import glossary
from portal.kb.models import Page
from portal.kb.sync import current_glossary, sync_content
from portal.search import indexing
from tests.conftest import PASSWORD, Auth, make_test_app

RUNS = 20
URL = "/ordliste/sof/rediger"


def figures(label: str, times: list[float]) -> None:
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms ({len(times)} runs)")


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    app = make_test_app(f"sqlite:///{tmp}/bench.sqlite3", tmp)
    with app.app_context():
        db.create_all()
        sync_content()
        auth_services.create_user("red@example.com", "Rikke", "editor", PASSWORD)
        db.session.commit()
        indexing.rebuild()
        count = db.session.scalar(db.select(db.func.count()).select_from(Page))
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            glossary.rerender_pages(current_glossary())
            times.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
        figures(f"Render all {count} pages again", times)
    client = app.test_client()
    Auth(client).login("red@example.com")
    times = []
    for n in range(RUNS):
        html = client.get(URL).get_data(as_text=True)
        token = html.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        version = html.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0]
        data = {
            "csrf_token": token,
            "version": version,
            "term": "SOF",
            "long": "Socialforvaltningen",
            "synonyms": "Socialforvaltningen, socialforvaltningen",
            "definition": f"Københavns Kommunes forvaltning for det sociale område ({n}).",
        }
        start = time.perf_counter()
        response = client.post(URL, data=data)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    figures("Save a term (SOF: mentioned on most pages)", times)


if __name__ == "__main__":
    main()
