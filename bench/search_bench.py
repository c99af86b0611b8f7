"""Search benchmark: the portal's two engines (Whoosh on SQLite, PostgreSQL full-text search)
with the same analysis, on the same synthetic Danish corpora, through the search service.
Prints rebuild time, query latency (p50/p95) and how long a one-document change takes to be
found after the change's commit.

    .venv/bin/python bench/search_bench.py [--sizes 1000 2000 10000] [--queries 200]

Targets on the 2-core machine: PostgreSQL p95 <= 25 ms at 2,000 documents and <= 80 ms at
10,000; Whoosh p95 <= 50 ms at 2,000; a rebuild of 10,000 <= 60 s on both; a change found
<= 50 ms after commit. Under concurrent load through ``GET /api/search``: ``bench/load.py``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import search  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.search import engine, services  # noqa: E402
from portal.search.registry import SearchDocument  # noqa: E402
from portal.transaction import transaction  # noqa: E402
from tests.conftest import make_test_app, scratch_database  # noqa: E402

KINDS = ["vejviser", "sagsgange", "kontaktpersoner", "kalender", "nyheder"]


def vocabulary(size: int) -> list[str]:
    """Danish words from the portal's own content, most frequent first, then Danish compounds
    built from them ("beskæftigelses" + "indsats") up to ``size`` words.

    A real corpus's vocabulary grows with it (Heaps' law); the content alone has ~1,800 words,
    which would make every query word occur in a third of 10,000 documents.
    """
    counts: dict[str, int] = {}
    for path in (ROOT / "content").glob("*/*.md"):
        for word in re.findall(r"[a-zæøå]{2,}", path.read_text(encoding="utf-8").lower()):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])
    stems = [w for w in words if len(w) >= 4][:400]
    rng = random.Random(0)
    compounds: dict[str, None] = {}
    while len(words) + len(compounds) < size:
        first, second = rng.sample(stems, 2)
        compounds[first + rng.choice(["", "s", "e"]) + second] = None
    return words + list(compounds)


def corpus(size: int, words: list[str], rng: random.Random) -> list[SearchDocument]:
    weights = [1 / (rank + 1) for rank in range(len(words))]

    def text(n: int) -> str:
        return " ".join(rng.choices(words, weights=weights, k=n))

    return [
        SearchDocument(
            source="bench",
            key=str(i),
            kind=rng.choice(KINDS),
            title=text(rng.randint(3, 8)).capitalize(),
            url=f"/bench/{i}",
            administration=rng.choice(["BIF", "SOF", "both"]),
            summary=text(25),
            body=text(rng.randint(150, 600)),
            tags=tuple(text(2).split()),
        )
        for i in range(size)
    ]


def queries(docs, words: list[str], count: int, rng: random.Random) -> dict[str, list[str]]:
    """Known-item queries: 1-3 words from one document, as staff search for what exists
    (words past the 50 commonest). And queries of random words that rarely occur together,
    which take the slower path: nothing matches all words, so similar words are tried."""
    common = set(words[:50])
    known = []
    while len(known) < count:
        doc = rng.choice(docs)
        candidates = sorted({w for w in (doc.title + " " + doc.body).split() if w not in common})
        if candidates:
            known.append(" ".join(rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))))
    middle = words[50:3000]
    unrelated = [" ".join(rng.sample(middle, 3)) for _ in range(count // 4)]
    return {"known": known, "unrelated": unrelated}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def latencies(run_query, qs: list[str]) -> tuple[float, float]:
    timings = []
    for q in qs:
        start = time.perf_counter()
        run_query(q)
        timings.append(time.perf_counter() - start)
    return percentiles(timings)


@contextmanager
def engine_app(name: str, workdir: Path, postgres: str) -> Iterator:
    """An empty portal on the engine's database: Whoosh on SQLite, PostgreSQL's engine on a
    scratch database of ``postgres`` (created and dropped here)."""
    with ExitStack() as stack:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        if name == "postgresql":
            url = stack.enter_context(scratch_database(postgres, "bench_search"))
        app = make_test_app(url, workdir, SEARCH_ENGINE=name)
        try:
            with app.app_context():
                db.create_all()
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


def bench(app, docs: list[SearchDocument], qs: dict[str, list[str]]) -> dict:
    """Through the search service (``services.search``: the plan, synonyms, the engine, the
    ranking rules, facets, 10 highlighted hits and "Mente du"), as a search page asks it."""
    with app.app_context():
        found = engine.current()
        start = time.perf_counter()
        found.replace_all(docs, len(docs))
        build = time.perf_counter() - start
    with app.test_request_context():
        search.warm()  # as a server does when it starts (wsgi.py), and out of the
        gc.freeze()  # garbage collector's full collections (a 0.1 s pause now and then)
        services.search(qs["known"][0])  # open the index, warm the caches
        known = latencies(services.search, qs["known"])
        unrelated = latencies(services.search, qs["unrelated"])
    changed = replace(docs[0], title=docs[0].title + " kvadratrodsregning")
    with app.app_context():
        start = time.perf_counter()
        with transaction():  # the indexer's transaction after a change's commit
            engine.current().apply([changed.doc_id], lambda doc_id: changed)
    with app.test_request_context():
        assert services.search("kvadratrodsregning").results, "the change was not found"
    single = time.perf_counter() - start
    return {"build": build, "lat": known, "slow": unrelated, "single": single}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 2_000, 10_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engines", nargs="+", default=["whoosh", "postgresql"])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1/test"),
        help="a PostgreSQL server to make a scratch database on",
    )
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=40_000,
        help="distinct words: the content's words, then compounds of them",
    )
    args = parser.parse_args()
    words = vocabulary(args.vocabulary)
    print(f"vocabulary: {len(words)} Danish words; {args.queries} queries of 1-3 terms")
    print("latency: known-item queries (p50/p95), and unrelated words (p95, the broader path)")
    print(
        f"{'docs':>7} {'engine':<10} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'unrelated p95':>14} {'1 change found ms':>18}"
    )
    for size in args.sizes:
        rng = random.Random(size)
        docs = corpus(size, words, rng)
        qs = queries(docs, words, args.queries, rng)
        for name in args.engines:
            workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
            try:
                with engine_app(name, workdir, args.postgres) as app:
                    r = bench(app, docs, qs)
                print(
                    f"{size:>7} {name:<10} {r['build']:8.1f} {r['lat'][0]:8.1f} "
                    f"{r['lat'][1]:8.1f} {r['slow'][1]:14.1f} {r['single'] * 1000:18.1f}",
                    flush=True,
                )
            finally:
                shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
