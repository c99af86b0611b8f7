"""Several processes save the same thing with the same version at once, each as its own editor
through the edit form, as browsers would. Used by the lost-update tests (issue 18, #2).

Every save pauses just after its version check in Python (``slow``), so that all of them have
passed that check before the first one writes: only the database can then tell them apart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAUSE = 1.5  # seconds between the version check and the write

SAVER = """
import importlib, json, sys, time
from pathlib import Path
from tests.conftest import Auth, csrf_token, make_test_app

url, tmp, email, path, fields, slow, pause = sys.argv[1:8]
module, name = slow.rsplit(".", 1)
target = importlib.import_module(module)
check = getattr(target, name)


def paused(*args, **kwargs):
    check(*args, **kwargs)
    time.sleep(float(pause))


setattr(target, name, paused)
app = make_test_app(url, Path(tmp))
client = app.test_client()
Auth(client).login(email)
data = {**json.loads(fields), "csrf_token": csrf_token(client, path)}
Path(tmp, "ready-" + email).touch()
while not Path(tmp, "go").exists():
    time.sleep(0.01)
response = client.post(path, data=data)
text = response.get_data(as_text=True)
print(json.dumps({"status": response.status_code, "conflict": "ændret af en anden" in text}))
with app.app_context():
    from portal.extensions import db

    db.engine.dispose()
"""


def save_at_once(
    database_url: str, tmp: Path, emails: list[str], path: str, forms: list[dict], slow: str
) -> list[dict]:
    """POST ``forms[i]`` to ``path`` as ``emails[i]``, all at the same moment, one process
    each; ``slow`` (module.function) is the version check to pause after. Returns each
    process's {"status", "conflict"}, in the order of ``emails``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    arguments = [database_url, str(tmp)]
    savers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SAVER,
                *arguments,
                email,
                path,
                json.dumps(form),
                slow,
                str(PAUSE),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for email, form in zip(emails, forms, strict=True)
    ]
    deadline = time.monotonic() + 120
    while not all((tmp / f"ready-{email}").exists() for email in emails):
        failed = [s for s in savers if s.poll() not in (None, 0)]
        assert not failed, failed[0].communicate()[1]
        assert time.monotonic() < deadline, "the savers did not get ready"
        time.sleep(0.05)
    (tmp / "go").touch()
    results = []
    for saver in savers:
        out, errors = saver.communicate(timeout=120)
        assert saver.returncode == 0, errors
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results
