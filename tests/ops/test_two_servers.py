"""Two app servers (two processes) on one PostgreSQL and one Redis, without sticky sessions,
with either search engine (each server's own Whoosh index, or PostgreSQL's, shared): a
session from one works on the other, an edit through one is found by search through the
other, and login limits count across both."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from bs4 import BeautifulSoup

from portal.auth import services as auth
from portal.extensions import db
from portal.kb.sync import sync_content
from portal.search import make_engine, rebuild
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SERVER = r"""
import sys
from werkzeug.serving import make_server
from portal import create_app

url, index_dir, name, port_file, prefix, engine = sys.argv[1:7]
app = create_app({
    "SEARCH_ENGINE": engine,
    "TESTING": True,
    "SECRET_KEY": "to-servere-deler-denne-noegle",
    "SQLALCHEMY_DATABASE_URI": url,
    "SEARCH_INDEX_DIR": index_dir,
    "SEARCH_INDEX_NAME": name,
    "SEARCH_REBUILD_IN_BACKGROUND": False,
    "MAIL_SEND_INLINE": True,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "RATELIMIT_KEY_PREFIX": prefix,
    "LOGIN_RATE_PER_ACCOUNT": "4 per minute",
})
server = make_server("127.0.0.1", 0, app, threaded=True)
with open(port_file, "w") as f:
    f.write(str(server.server_port))
server.serve_forever()
"""


def redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["whoosh", "postgresql"])
def servers(request, app, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("several servers share PostgreSQL")
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    with app.app_context():
        sync_content()
        auth.create_user("red@example.com", "Rikke Redaktør", "editor", PASSWORD)
        db.session.commit()
    prefix = f"to-servere-{uuid.uuid4().hex[:8]}"
    started: list[tuple[subprocess.Popen, str]] = []
    logs = []
    try:
        for name in ("a", "b"):
            port_file = tmp_path / f"{name}.port"
            log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed below)
            logs.append(log)
            index_dir = str(tmp_path / f"index-{name}")
            args = [database_url, index_dir, name, str(port_file), prefix, request.param]
            process = subprocess.Popen(
                [sys.executable, "-c", SERVER, *args], cwd=ROOT, stderr=log, stdout=log
            )
            started.append((process, ""))
            for _ in range(400):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.05)
            started[-1] = (process, f"http://127.0.0.1:{port_file.read_text()}")
        app.config["SEARCH_ENGINE"] = request.param
        with app.app_context():  # each server's index, as `portal setup` builds it
            for name in ("a", "b"):
                app.config.update(
                    SEARCH_INDEX_DIR=str(tmp_path / f"index-{name}"), SEARCH_INDEX_NAME=name
                )
                app.extensions["portal_search_engine"] = make_engine(app)
                rebuild()
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=10)
        for log in logs:
            log.close()


def token(session: requests.Session, url: str) -> str:
    page = BeautifulSoup(session.get(url, timeout=10).text, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def test_two_servers_share_sessions_search_and_limits(servers):
    a, b = servers
    browser = requests.Session()
    login = browser.post(
        f"{a}/login",
        data={
            "email": "red@example.com",
            "password": PASSWORD,
            "csrf_token": token(browser, f"{a}/login"),
        },
        timeout=10,
    )
    assert login.status_code == 200 and "Du er logget ind" in login.text
    assert browser.get(f"{b}/min-konto", timeout=10).status_code == 200  # no stickiness

    edit = f"{a}/vejviser/groen-linie/rediger"
    form = BeautifulSoup(browser.get(edit, timeout=10).text, "html.parser").select_one(
        "form.page-form"
    )
    data = {
        field["name"]: (field.get_text() if field.name == "textarea" else field.get("value", ""))
        for field in form.select("input[name], textarea[name]")
        if field.get("type") != "checkbox"
    }
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        data[select["name"]] = chosen.get("value", "")
    data["summary"] = "Grøn linie: nu med ordet tværserverprøve"
    saved = browser.post(edit, data=data, timeout=10, allow_redirects=False)
    assert saved.status_code == 302, saved.text[:500]
    found = requests.get(f"{b}/api/search", params={"q": "tværserverprøve"}, timeout=10).json()
    assert [hit["url"] for hit in found["results"]] == ["/vejviser/groen-linie"]

    stranger = requests.Session()
    answers = []
    for url in (a, b, b, a, a):  # four logins a minute per account, counted in Redis
        answers.append(
            stranger.post(
                f"{url}/login",
                data={
                    "email": "red@example.com",
                    "password": "forkert",
                    "csrf_token": token(stranger, f"{url}/login"),
                },
                timeout=10,
            ).status_code
        )
    # With the editor's own login on A, the fourth try is the fifth POST for the account: A
    # saw three of them and B two, so only counting across both servers refuses it.
    assert answers == [200, 200, 200, 429, 429]
