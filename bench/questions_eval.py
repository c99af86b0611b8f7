"""How many of ``tests/search/questions.py``'s natural questions find a right page in the top
three, on the demo data (``portal setup --demo``). Prints each miss and the count.

    .venv/bin/python bench/questions_eval.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.cli import setup_steps, unit_of_work
from portal.extensions import db
from portal.search import services
from tests.conftest import make_test_app
from tests.search.questions import QUESTIONS


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    app = make_test_app(f"sqlite:///{tmp}/q.sqlite3", tmp)
    with app.app_context():
        db.create_all()
        for step in setup_steps(app, demo=True):
            with unit_of_work():
                step.run()
        hits = 0
        timings = []
        for question, expected in QUESTIONS:
            start = time.perf_counter()
            top = [r.url for r in services.search(question).results[:3]]
            timings.append((time.perf_counter() - start) * 1000)
            ok = any(url.startswith(e) for url in top for e in expected)
            hits += ok
            if not ok or "-v" in sys.argv:
                print(f"{'ok  ' if ok else 'MISS'} {question!r}: {top}")
    timings.sort()
    print(f"{hits} of {len(QUESTIONS)} in the top three")
    print(f"p50 {statistics.median(timings):.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
