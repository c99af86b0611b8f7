"""The cost of the worst search queries (issue: search is public). Indexes the real content in a
temporary SQLite database and times generated worst cases through ``services.search``: long
random words, many words, digits and Whoosh syntax, each at most 500 characters (the API's
limit). Prints p50, p95 and max in milliseconds; the target is max ≤ 100 ms on a 2-core machine.
Run it on a quiet machine: other work on the two cores shows up in every figure.

    .venv/bin/python bench/search_worst.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.extensions import db
from portal.kb.sync import sync_content
from portal.search import indexing, services
from tests.conftest import make_test_app
from tests.search.test_bounds import worst_cases


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    app = make_test_app(f"sqlite:///{tmp}/bench.sqlite3", tmp)
    with app.app_context():
        db.create_all()
        sync_content()
        db.session.commit()
        indexing.rebuild()
        services.search("opvarmning")
        gc.freeze()  # as wsgi.py does after start-up
        timings = []
        for text in worst_cases(seed=11, count=200):
            start = time.perf_counter()
            services.search(text[:500])
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{len(timings)} worst-case queries: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
