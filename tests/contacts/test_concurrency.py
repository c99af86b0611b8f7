"""Issue 18 #2: of several saves of a profile at the same version, exactly one is accepted and
every other gets the conflict message, with its input kept; on PostgreSQL with several
processes that all passed the version check in Python before any of them wrote."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.errors import Conflict
from portal.extensions import db
from tests.contacts.test_selfservice import form_values, login_as

ROOT = Path(__file__).resolve().parents[2]
CONFLICT = "er blevet ændret af en anden"


def someone_saves_first(profile_id: int) -> None:
    """Another transaction's save, between this one's version check and its write (in the
    same connection, so that it works on SQLite too, where writers queue)."""
    db.session.execute(
        sa.update(ContactProfile)
        .where(ContactProfile.id == profile_id)
        .values(version=ContactProfile.version + 1)
        .execution_options(synchronize_session=False)  # this session has not seen it
    )


def test_a_save_that_loses_the_race_is_the_conflict_with_input_kept(
    client, auth, make_contact, get_profile, monkeypatch
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(job_title="Min nye titel")
    clean = profiles.clean

    def clean_then_lose(values, fields):  # runs after check_version has passed
        someone_saves_first(pid)
        return clean(values, fields)

    monkeypatch.setattr(profiles, "clean", clean_then_lose)
    response = client.post("/min-profil", data=data)
    assert response.status_code == 409
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert CONFLICT in page.get_text()
    assert page.select_one("#job_title")["value"] == "Min nye titel"
    after = get_profile(pid)
    assert after["job_title"] == "" and after["version"] == 1  # all of it rolled back


def test_confirming_a_profile_saved_meanwhile_is_the_conflict(app, make_contact):
    pid = make_contact()
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        someone_saves_first(pid)
        with pytest.raises(Conflict, match=CONFLICT):
            profiles.confirm(profile, profile.user)
        db.session.rollback()


SAVER = """
import sys, time
from pathlib import Path
from portal.contacts import profiles
from tests.conftest import Auth, make_test_app
from tests.contacts.test_selfservice import form_values

url, tmp, me, pid, email, n = sys.argv[1], Path(sys.argv[2]), sys.argv[3], *sys.argv[4:]
app = make_test_app(url, tmp, SEARCH_WRITER_TIMEOUT=30.0)
client = app.test_client()
Auth(client).login(email)
path = f"/kontaktpersoner/{pid}/rediger"
data = form_values(client, path)
assert data["version"] == "1", data
data["job_title"] = f"Titel {me}"
clean = profiles.clean


def clean_after_everyone_has_checked(values, fields):
    # A barrier after check_version: every process has read version 1 and passed the check
    # in Python before any of them writes.
    (tmp / f"checked-{me}").touch()
    deadline = time.monotonic() + 60
    while len(list(tmp.glob("checked-*"))) < int(n):
        assert time.monotonic() < deadline, "the others never came"
        time.sleep(0.01)
    return clean(values, fields)


profiles.clean = clean_after_everyone_has_checked
response = client.post(path, data=data)
body = response.get_data(as_text=True)
print(response.status_code, "conflict" if "er blevet ændret af en anden" in body else "-")
"""


def test_of_concurrent_saves_at_one_version_exactly_one_wins_on_postgresql(
    app, database_url, tmp_path, make_contact, make_user
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time in (BEGIN IMMEDIATE): no race to lose")
    savers = 6
    pid = make_contact()
    editors = [make_user("editor").email for _ in range(savers)]  # one login each
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", SAVER, database_url, str(tmp_path)]
    workers = [
        subprocess.Popen(
            [*args, str(n), str(pid), editors[n], str(savers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(savers)
    ]
    outcomes = []
    for worker in workers:
        out, errors = worker.communicate(timeout=300)
        assert worker.returncode == 0, errors
        outcomes.append(out.split()[-2:])
    assert sorted(outcomes) == [["302", "-"]] + [["409", "conflict"]] * (savers - 1), outcomes
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        assert profile.version == 2 and profile.job_title.startswith("Titel ")
