"""The time to save a procedure with 20 steps from the browser's edit form (issue 11: p95 within
300 ms on this machine), through the whole request: the form, the schema check, rendering the
body and every step, the revision, the commit and the search indexing after it. Each save
changes the text, so nothing is skipped as unchanged.

    .venv/bin/python bench/page_save_bench.py                 # SQLite
    PORTAL_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/page_save_bench.py             # PostgreSQL (tables emptied!)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.auth import services as auth_services
from portal.extensions import db
from portal.kb.sync import sync_content
from portal.search import indexing
from tests.conftest import PASSWORD, Auth, make_test_app
from tests.kb.editing_helpers import form_data

SAVES = 60
STEPS = 20
URL = "/sagsgange/samarbejdsmodellen/rediger"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = make_test_app(url, tmp)
    with app.app_context():
        db.drop_all()
        db.create_all()
        sync_content()
        auth_services.create_user("red@example.com", "Bench Redaktør", "editor", PASSWORD)
        db.session.commit()
        indexing.rebuild()
    client = app.test_client()
    Auth(client).login("red@example.com")
    data = form_data(client.get(URL))
    for n in range(STEPS):
        data |= {
            f"steps-{n}-owner": ("BIF", "SOF", "both")[n % 3],
            f"steps-{n}-title": f"Trin nummer {n + 1}",
            f"steps-{n}-text": f"Ring til **SOF's hotline** og aftal et møde ({n}). " * 6,
        }
    timings = []
    for n in range(SAVES):
        data = form_data(client.get(URL)) | {k: v for k, v in data.items() if "steps-" in k}
        data |= {"body": f"Version {n}. " + "Borgeren har en sag i både BIF og SOF. " * 80}
        start = time.perf_counter()
        response = client.post(URL, data=data)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{engine}: {SAVES} saves of a procedure with {STEPS} steps: "
        f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
