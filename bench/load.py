"""A bounded mixed load against the portal under gunicorn (issue 17), with the bare endpoint's
ceiling measured in the same run.

    .venv/bin/python bench/load.py                        # 50 users, 60 s, SQLite
    .venv/bin/python bench/load.py --users 20 --seconds 30
    .venv/bin/python bench/load.py --think 0.5           # users who wait 0.5 s between requests
    .venv/bin/python bench/load.py --reload-at 30        # gunicorn reloads its workers meanwhile
    .venv/bin/python bench/load.py --only page --alternate 6 --ceiling-seconds 30
                                                          # the bare endpoint and pages by turns
    PORTAL_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/load.py                    # PostgreSQL (a scratch database!)
    PORTAL_PAGE_CACHE=false .venv/bin/python bench/load.py   # without the page cache
    .venv/bin/python bench/load.py --only search          # searches alone (issue 12)
    PORTAL_SEARCH_ENGINE=whoosh PORTAL_BENCH_DATABASE_URL=... bench/load.py --only search

The script makes a temporary instance (`portal setup --demo`: the demo content, contact persons
and logins; on PostgreSQL in the database given, which should be a scratch one), starts gunicorn
with the repository's ``gunicorn.conf.py`` on a free loopback port, waits until every worker
has loaded the app, and first measures a tiny WSGI "hello" app (``bench/hello.py``) under the
same settings: the ceiling. With ``--alternate N`` the ceiling and the mix are measured by
turns, N parts each, so that both see the same moments of a machine whose speed varies.
Then ``--users`` concurrent users, each sending its next request as soon as the last one is
answered (or, with ``--think``, after a pause drawn from an exponential distribution with
that mean), run the mix for ``--seconds``:

- 70% guide and procedure reads (every published guide and procedure, in turn),
- 20% searches in ``/api/search``: half single words, half natural questions,
- 7% the contact directory (``/kontaktpersoner/``),
- 3% profile edits: one of the demo's contact persons (``demo.kontakt.N``, whose passwords the
  script sets after setup; each logged in once) opens ``/min-profil`` and sends the form back
  with its CSRF token and version. A person is never editing in two tabs at once (a version
  conflict would be a correct refusal, not a slow server), but different people edit at the
  same time: a user whose turn it is to edit takes a person who is not editing.

It prints requests per second, p50/p95/p99 and failures per kind (a failure is an error, a
timeout or any status other than the expected one: 200, or a redirect after a profile save;
a search answered from the database fallback instead of the search engine also counts),
and the machine's load average before and after. The load generator runs on the same machine
(one Python process with aiohttp): on a 2-core machine it takes part of the CPU the server
would have, and it bounds the ceiling it can measure. Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import aiohttp
from cpu import server_cpu, used

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from portal import sizing  # noqa: E402
from portal.contacts import demo  # noqa: E402

# The demo's contact persons: the script gives them a password.
CONTACTS = [demo.email(n) for n in range(1, demo.COUNT + 1)]

WORDS = ["handleplan", "bostøtte", "misbrug", "ydelse", "jobcenter", "kontanthjælp", "bolig"]
QUESTIONS = [
    "hvem skal jeg ringe til i SOF",
    "hvordan laver vi en fælles handleplan for borgeren",
    "hvad gør jeg når borgeren har misbrug og er ledig",
    "hvem i BIF kan hjælpe med bostøtte",
    "hvornår skal SOF inddrages i sagen",
    "hvordan får borgeren hjælp til bolig",
]
MIX = [("page", 70), ("search", 20), ("directory", 7), ("profile", 3)]


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, started: float, ok: bool, what: str = "") -> None:
        self.timings[kind].append((time.perf_counter() - started) * 1000)
        if not ok:
            self.failures[kind] += 1
            self.examples.setdefault(kind, what)


class FormFields(HTMLParser):
    """The named fields of the first form with ``method="post"`` whose action is ``action``,
    as a browser would send them (checked boxes only, the selected option, textarea text)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "").lower() == "post":
            self.inside = a.get("action", self.action) in ("", self.action)
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def environment(tmp: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "FLASK_"))} | {
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SEARCH_INDEX_DIR": str(tmp / "search_index"),
        "PORTAL_ENV": "development",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    passed = ("PORTAL_WORKERS", "PORTAL_THREADS", "PORTAL_METRICS", "PORTAL_LOG_JSON")
    for name in (*passed, "PORTAL_PAGE_CACHE", "PORTAL_SEARCH_ENGINE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def setup(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603  # our own venv's flask
        [str(BIN / "flask"), "--app", "wsgi", "portal", "setup", "--demo"],
        cwd=ROOT,
        env=env | {"FLASK_RUN_FROM_CLI": "true"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def give_passwords(env: dict[str, str], password: str) -> None:
    """Let the demo's contact persons log in (they were invited, so they have no password)."""
    code = (
        "from portal import create_app\n"
        "from portal.auth import services\n"
        "from portal.cli import unit_of_work\n"
        "with create_app().app_context(), unit_of_work():\n"
        f"    for email in {CONTACTS!r}:\n"
        f"        services.set_password(services.get_by_email(email), {password!r})\n"
    )
    subprocess.run(  # noqa: S603  # our own venv's python
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def start_gunicorn(app: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603  # our own venv's gunicorn
        [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(log),
            app,
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({app}) stopped; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn ({app}) did not start within 60 s; see {log}")


def loaded(log: Path, workers: int) -> None:
    """Wait until every worker has loaded the app (``post_worker_init`` in gunicorn.conf.py):
    on a slow machine four workers take more than 10 s together, and a run that began sooner
    measured their start-up as well (less throughput, more CPU a request)."""
    deadline = time.monotonic() + 120
    while log.read_text(errors="replace").count("has loaded the portal") < workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"the workers did not load the portal within 120 s; see {log}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def ceiling(base: str, users: int, seconds: float) -> tuple[int, float]:
    """Requests per second of the bare endpoint with ``users`` clients in a loop."""
    count = 0
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def user(deadline: float) -> None:
            nonlocal count
            while time.monotonic() < deadline:
                async with session.get("/") as response:
                    await response.read()
                    count += response.status == 200

        started = time.monotonic()
        await asyncio.gather(*(user(started + seconds) for _ in range(users)))
        return count, time.monotonic() - started


async def page_urls(session: aiohttp.ClientSession) -> list[str]:
    urls: list[str] = []
    for index, prefix in (("/vejviser/", "/vejviser/"), ("/sagsgange/", "/sagsgange/")):
        async with session.get(index) as response:
            html = await response.text()
        for slug in re.findall(rf'href="{prefix}([a-z0-9-]+)"', html):
            if f"{prefix}{slug}" not in urls:
                urls.append(f"{prefix}{slug}")
    if not urls:
        raise SystemExit("No guides or procedures found: did `portal setup --demo` run?")
    return urls


async def log_in(session: aiohttp.ClientSession, email: str, password: str) -> None:
    async with session.get("/login") as response:
        fields = FormFields("/login")
        fields.feed(await response.text())
    data = fields.fields | {"email": email, "password": password}
    async with session.post("/login", data=data, allow_redirects=False) as response:
        if response.status not in (302, 303):
            raise SystemExit(f"{email} could not log in ({response.status})")


async def edit_profile(
    people: asyncio.Queue[aiohttp.ClientSession], n: int, results: Results
) -> None:
    """Open the form and send it back changed, as a contact person who is not editing now."""
    session = await people.get()
    started = time.perf_counter()
    try:
        problem = await _edit(session, n)
    except (aiohttp.ClientError, TimeoutError) as error:
        problem = repr(error)
    finally:
        people.put_nowait(session)
    results.add("profile", started, not problem, problem)


async def _edit(session: aiohttp.ClientSession, n: int) -> str:
    """'' when the save was accepted, else what went wrong."""
    async with session.get("/min-profil") as response:
        if response.status != 200:
            return f"GET /min-profil {response.status}"
        fields = FormFields("/min-profil")
        fields.feed(await response.text())
    data = fields.fields | {"about": f"Kontaktperson i belastningstest, gem nummer {n}."}
    async with session.post("/min-profil", data=data, allow_redirects=False) as response:
        await response.read()
        return "" if response.status in (302, 303) else f"POST /min-profil {response.status}"


async def mixed(
    base: str,
    users: int,
    seconds: float,
    seed: int,
    mix: list[tuple[str, int]],
    password: str,
    think: float,
    results: Results,
    server: int,
) -> tuple[float, float]:
    """Run the mix into ``results``; the seconds it ran and the server's CPU seconds meanwhile
    (the logins before it, a password hash each, are not counted)."""
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=users)
    async with AsyncExitStack() as stack:
        anonymous = await stack.enter_async_context(
            aiohttp.ClientSession(base, connector=connector, timeout=timeout)
        )
        pages = await page_urls(anonymous)
        people: asyncio.Queue[aiohttp.ClientSession] = asyncio.Queue()
        for email in CONTACTS if any(kind == "profile" for kind, _ in mix) else ():
            # unsafe: keep cookies from an IP address (the server is on loopback)
            jar = aiohttp.CookieJar(unsafe=True)
            person = await stack.enter_async_context(
                aiohttp.ClientSession(base, timeout=timeout, cookie_jar=jar)
            )
            await log_in(person, email, password)
            people.put_nowait(person)
        kinds = [kind for kind, _ in mix]
        weights = [weight for _, weight in mix]
        edits = seed * 100_000  # each part's saves change the text again

        async def get(kind: str, url: str) -> None:
            started = time.perf_counter()
            try:
                async with anonymous.get(url, allow_redirects=False) as response:
                    body = await response.read()
                    what = f"{url} {response.status}"
                    # A search answered from the database (the engine failed) is not a success.
                    if response.status == 200 and kind == "search" and json.loads(body)["fallback"]:
                        what += " (the database fallback)"
                    results.add(kind, started, what == f"{url} 200", what)
            except (aiohttp.ClientError, TimeoutError) as error:
                results.add(kind, started, False, f"{url} {error!r}")

        async def user(number: int, deadline: float) -> None:
            nonlocal edits
            rng = random.Random(seed + number)
            while time.monotonic() < deadline:
                kind = rng.choices(kinds, weights)[0]
                if kind == "page":
                    await get(kind, rng.choice(pages))
                elif kind == "search":
                    q = rng.choice(QUESTIONS if rng.random() < 0.5 else WORDS)
                    await get(kind, f"/api/search?q={aiohttp.helpers.quote(q)}")
                elif kind == "directory":
                    await get(kind, "/kontaktpersoner/")
                else:
                    edits += 1
                    await edit_profile(people, edits, results)
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))

        cpu_before = server_cpu(server)
        started = time.monotonic()
        await asyncio.gather(*(user(n, started + seconds) for n in range(users)))
        return time.monotonic() - started, used(cpu_before, server_cpu(server))


def percentile(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def report(results: Results, elapsed: float, hello: float, mix: list[tuple[str, int]]) -> None:
    columns = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms")
    print(
        f"{'kind':<10} "
        + " ".join(f"{c:>{len(c) if c == 'requests' else 7}}" for c in columns)
        + " fail"
    )
    everything: list[float] = []
    for kind, _ in mix:
        values = results.timings.get(kind, [])
        everything += values
        print(
            f"{kind:<10} {len(values):>8} {len(values) / elapsed:>7.1f} "
            f"{percentile(values, 50):>7.0f} {percentile(values, 95):>7.0f} "
            f"{percentile(values, 99):>7.0f} {results.failures.get(kind, 0)}"
        )
    total = len(everything) / elapsed
    print(
        f"{'all':<10} {len(everything):>8} {total:>7.1f} {percentile(everything, 50):>7.0f} "
        f"{percentile(everything, 95):>7.0f} {percentile(everything, 99):>7.0f} "
        f"{sum(results.failures.values())}"
    )
    print(f"bare endpoint: {hello:.0f} req/s; the mix reached {100 * total / hello:.1f}% of it")
    for kind, example in results.examples.items():
        print(f"first {kind} failure: {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ceiling-seconds", type=float, default=10)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds a user waits between answer and next request (default: none)",
    )
    parser.add_argument(
        "--alternate",
        type=int,
        default=1,
        help="measure the bare endpoint and the mix by turns, in this many parts each: on a "
        "machine whose speed varies, both see the same moments",
    )
    parser.add_argument(
        "--reload-at",
        type=float,
        help="send gunicorn a graceful reload (SIGHUP) this many seconds into the run",
    )
    parser.add_argument(
        "--only", choices=[kind for kind, _ in MIX], help="one kind of request instead of the mix"
    )
    args = parser.parse_args()
    mix = [(kind, weight) for kind, weight in MIX if args.only in (None, kind)]

    tmp = Path(tempfile.mkdtemp(prefix="portal-load-"))
    database_url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{tmp}/load.sqlite3"
    env = environment(tmp, database_url)
    now = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print(f"{now}, {os.cpu_count()} cores, load {load_average()}", flush=True)
    thinking = f", thinking {args.think:g} s on average" if args.think else ""
    print(
        f"database: {database_url.split('://')[0]}; {args.users} users{thinking}, "
        f"{args.seconds:.0f} s"
    )
    try:
        setup(env)
        password = secrets.token_urlsafe(16)
        give_passwords(env, password)
        hello_port, port = free_port(), free_port()
        hello = start_gunicorn("bench.hello:app", env, hello_port, tmp / "hello.log")
        server = start_gunicorn("wsgi:app", env, port, tmp / "portal.log")
        try:
            loaded(tmp / "portal.log", sizing.workers(env))  # before anything is measured
            results, elapsed, cpu, bare, bare_elapsed = Results(), 0.0, 0.0, 0, 0.0
            for part in range(args.alternate):
                count, took = asyncio.run(
                    ceiling(
                        f"http://127.0.0.1:{hello_port}",
                        args.users,
                        args.ceiling_seconds / args.alternate,
                    )
                )
                bare, bare_elapsed = bare + count, bare_elapsed + took
                if part == 0 and args.reload_at is not None:
                    reload = threading.Timer(args.reload_at, os.kill, (server.pid, signal.SIGHUP))
                    reload.start()
                    print(f"a graceful reload (SIGHUP) {args.reload_at:g} s into the run")
                took, seconds = asyncio.run(
                    mixed(
                        f"http://127.0.0.1:{port}",
                        args.users,
                        args.seconds / args.alternate,
                        args.seed + part,
                        mix,
                        password,
                        args.think,
                        results,
                        server.pid,
                    )
                )
                elapsed, cpu = elapsed + took, cpu + seconds
        finally:
            stop(server)
            stop(hello)
        hello_rate = bare / bare_elapsed
        report(results, elapsed, hello_rate, mix)
        count = sum(len(v) for v in results.timings.values())
        print(f"server CPU: {cpu:.1f} s, {1000 * cpu / max(count, 1):.1f} ms per request")
        print(f"load average after: {load_average()}")
        errors = (tmp / "portal.log").read_text(errors="replace")
        if "Traceback" in errors:
            print(f"the server logged errors: {tmp / 'portal.log'}")
            return
    finally:
        if not (tmp / "portal.log").exists() or "Traceback" not in (tmp / "portal.log").read_text(
            errors="replace"
        ):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
