"""Search benchmark: Whoosh (the portal's engine and analysis) against SQLite FTS5 on the same
synthetic Danish corpora. Prints build time, index size and query latency with highlighting.

    .venv/bin/python bench/search_bench.py [--sizes 1000 10000 50000] [--queries 200]

Targets on the 2-core machine: p95 <= 50 ms at 1k and <= 150 ms at 10k; rebuild of 10k <= 60 s.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.search import engine, index  # noqa: E402
from portal.search.registry import SearchDocument  # noqa: E402

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


def size_of(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(p.stat().st_size for p in files if p.is_file()) / 1e6


def latencies(run_query, qs: list[str]) -> tuple[float, float]:
    timings = []
    for q in qs:
        start = time.perf_counter()
        run_query(q)
        timings.append(time.perf_counter() - start)
    return percentiles(timings)


def bench_whoosh(docs, qs, workdir: Path) -> dict:
    directory = str(workdir / "whoosh")
    index.create_empty(directory)
    start = time.perf_counter()
    procs = 2 if len(docs) >= 1000 else 1  # as portal.search.services.rebuild does
    index.write(directory, ((d.doc_id, d) for d in docs), timeout=60, clear=True, procs=procs)
    build = time.perf_counter() - start
    index.forget(directory)

    def run_query(q):  # AND (or the broader fallback), facets, 10 highlighted hits
        engine.run(directory, q, [], None, None, 1, 10)

    run_query(qs["known"][0])  # open the searcher once
    known, unrelated = latencies(run_query, qs["known"]), latencies(run_query, qs["unrelated"])
    start = time.perf_counter()
    index.write(directory, [(docs[0].doc_id, docs[0])], timeout=60)
    single = time.perf_counter() - start
    index.forget(directory)
    return {
        "build": build,
        "size": size_of(Path(directory)),
        "lat": known,
        "slow": unrelated,
        "single": single,
    }


def bench_fts5(docs, qs, workdir: Path) -> dict:
    path = workdir / "fts.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, tags, summary, body, kind UNINDEXED, "
        "url UNINDEXED, tokenize='unicode61 remove_diacritics 0')"
    )
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            [(d.title, " ".join(d.tags), d.summary, d.body, d.kind, d.url) for d in docs],
        )
    build = time.perf_counter() - start

    def run_query(q):  # AND, bm25 with the same field weights, 10 snippets, facets
        match = " AND ".join(f'"{w}"' for w in q.split())
        conn.execute(
            "SELECT title, url, snippet(docs, 3, '<mark>', '</mark>', ' … ', 24) FROM docs "
            "WHERE docs MATCH ? ORDER BY bm25(docs, 6.0, 3.0, 2.0, 1.0) LIMIT 10",
            (match,),
        ).fetchall()
        conn.execute(
            "SELECT kind, count(*) FROM docs WHERE docs MATCH ? GROUP BY kind", (match,)
        ).fetchall()

    known, unrelated = latencies(run_query, qs["known"]), latencies(run_query, qs["unrelated"])
    conn.close()
    return {"build": build, "size": size_of(path), "lat": known, "slow": unrelated, "single": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--vocabulary",
        type=int,
        default=40_000,
        help="distinct words: the content's words, then compounds of them",
    )
    args = parser.parse_args()
    words = vocabulary(args.vocabulary)
    print(f"vocabulary: {len(words)} Danish words; {args.queries} queries of 1-3 terms")
    print("latency: known-item queries (p50/p95), and unrelated words (p95, the fallback path)")
    print(
        f"{'docs':>7} {'engine':<7} {'build s':>8} {'size MB':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'unrelated p95':>14} {'1 doc commit ms':>16}"
    )
    for size in args.sizes:
        rng = random.Random(size)
        docs = corpus(size, words, rng)
        qs = queries(docs, words, args.queries, rng)
        workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        try:
            for name, run in (("whoosh", bench_whoosh), ("fts5", bench_fts5)):
                r = run(docs, qs, workdir)
                single = f"{r['single'] * 1000:16.1f}" if r["single"] is not None else f"{'-':>16}"
                print(
                    f"{size:>7} {name:<7} {r['build']:8.1f} {r['size']:8.1f} "
                    f"{r['lat'][0]:8.1f} {r['lat'][1]:8.1f} {r['slow'][1]:14.1f} {single}",
                    flush=True,
                )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
