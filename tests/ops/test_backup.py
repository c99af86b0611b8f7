"""``portal backup DIR`` and ``portal restore DIR`` on SQLite and PostgreSQL: the copy holds
everything (profile photos too), a restore is checked against the manifest, a database with
data is only replaced with ``--force``, a damaged copy is refused, and a backup taken while
another process writes restores to exactly the snapshot its manifest describes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from portal.audit import AuditEntry
from portal.auth import services
from portal.contacts.models import ContactProfile
from portal.extensions import db
from portal.ops import snapshot
from tests.conftest import make_test_app

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # stands for a re-encoded JPEG
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A second, empty database of the same kind to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'genskabt.sqlite3'}"
        return
    url = make_url(database_url)
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"portal_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(app) -> None:
    with app.app_context():
        user = services.create_user("kontakt@example.com", "Kim Kontakt", "contact", "x" * 16)
        db.session.flush()
        db.session.add(
            ContactProfile(
                user_id=user.id, administration="SOF", email="kontakt@example.com", photo=PHOTO
            )
        )
        db.session.commit()


def figures(app) -> dict[str, snapshot.TableFigures]:
    with app.app_context(), db.engine.connect() as conn:
        return snapshot.figures(conn)


def backup(app, directory: Path):
    return app.test_cli_runner().invoke(args=["portal", "backup", str(directory)])


def restore(app, directory: Path, *options: str):
    return app.test_cli_runner().invoke(args=["portal", "restore", *options, str(directory)])


def test_a_backup_restores_into_an_empty_database(app, empty_database_url, tmp_path):
    fill(app)
    result = backup(app, tmp_path / "kopi")
    assert result.exit_code == 0, result.output
    assert "1 profilfotos" in result.output
    manifest = json.loads((tmp_path / "kopi" / "manifest.json").read_text())
    assert manifest["tables"]["user"]["rows"] == 1
    assert manifest["tables"]["contact_profile"]["rows"] == 1
    assert manifest["photos"] == 1

    target = make_test_app(empty_database_url, tmp_path / "b")
    result = restore(target, tmp_path / "kopi")
    assert result.exit_code == 0, result.output
    assert "stemmer med manifestet" in result.output
    assert figures(target) == figures(app)
    with target.app_context():
        assert db.session.scalar(sa.select(ContactProfile.photo)) == PHOTO


def test_restore_refuses_a_database_with_data_unless_forced(app, tmp_path):
    fill(app)
    assert backup(app, tmp_path / "kopi").exit_code == 0
    with app.app_context():
        services.create_user("senere@example.com", "Senere", "staff", "x" * 16)
        db.session.commit()
    refused = restore(app, tmp_path / "kopi")
    assert refused.exit_code == 1
    assert "Databasen er ikke tom" in refused.output and "--force" in refused.output
    with app.app_context():  # nothing was touched
        assert services.get_by_email("senere@example.com") is not None

    forced = restore(app, tmp_path / "kopi", "--force")
    assert forced.exit_code == 0, forced.output
    with app.app_context():  # the database is the copy again
        assert services.get_by_email("senere@example.com") is None
        assert db.session.scalar(sa.select(ContactProfile.photo)) == PHOTO


def test_a_damaged_copy_is_refused_before_anything_is_touched(app, empty_database_url, tmp_path):
    fill(app)
    assert backup(app, tmp_path / "kopi").exit_code == 0
    copy = next(p for p in (tmp_path / "kopi").iterdir() if p.name.startswith("database."))
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    target = make_test_app(empty_database_url, tmp_path / "b")
    result = restore(target, tmp_path / "kopi")
    assert result.exit_code == 1 and "kontrolsummen passer ikke" in result.output


def test_a_backup_is_not_written_over_another(app, tmp_path):
    assert backup(app, tmp_path / "kopi").exit_code == 0
    again = backup(app, tmp_path / "kopi")
    assert again.exit_code == 1 and "er ikke tom" in again.output


def test_restore_needs_a_manifest(app, tmp_path):
    (tmp_path / "tom").mkdir()
    result = restore(app, tmp_path / "tom")
    assert result.exit_code == 1 and "ikke en kopi" in result.output


def test_a_copy_is_readable_by_its_owner_only(app, tmp_path):
    """It holds personal data and password hashes."""
    assert backup(app, tmp_path / "kopi").exit_code == 0
    assert (tmp_path / "kopi").stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in (tmp_path / "kopi").iterdir()} == {0o600}


def test_mistaken_paths_get_one_danish_line_each(app, database_url, tmp_path):
    (tmp_path / "fil").write_text("")  # a file where the backup's directory should go
    answers = [
        (backup(app, tmp_path / "fil" / "kopi"), "kan ikke oprettes"),
        (backup(app, tmp_path / "fil"), "er en fil"),
        (restore(app, tmp_path / "findes-ikke"), "findes ikke"),
        (restore(app, tmp_path / "fil"), "er ikke en mappe"),
    ]
    if database_url.startswith("sqlite"):
        fill(app)
        assert backup(app, tmp_path / "kopi").exit_code == 0
        nowhere = make_test_app(f"sqlite:///{tmp_path / 'ingen-mappe' / 'db.sqlite3'}", tmp_path)
        answers.append((restore(nowhere, tmp_path / "kopi"), "kan ikke åbnes"))
    for result, says in answers:
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert says in result.output and "Traceback" not in result.output, result.output


WRITER = textwrap.dedent(
    """
    import select, sys
    import sqlalchemy as sa
    from portal.audit import AuditEntry
    from portal.db import utcnow  # also the SQLite connection settings (WAL, BEGIN IMMEDIATE)

    engine = sa.create_engine(sys.argv[1])
    table = AuditEntry.__table__
    written = 0
    while True:
        with engine.begin() as conn:
            conn.execute(sa.insert(table).values(
                at=utcnow(), actor="skriver", action="test", object_type="test",
                object_id=str(written)))
        written += 1
        if written == 50:
            print("skriver", flush=True)
        if written > 50 and select.select([sys.stdin], [], [], 0)[0]:
            break
    print(written, flush=True)
    engine.dispose()
    """
)


def test_a_backup_taken_while_another_process_writes_restores_its_snapshot(
    app, database_url, empty_database_url, tmp_path
):
    fill(app)
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, database_url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout.readline().strip() == "skriver"  # 50 rows in, still writing
        try:
            result = backup(app, tmp_path / "kopi")
        finally:
            writer.stdin.write("stop\n")
            writer.stdin.flush()
            written = int(writer.stdout.readline())
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "kopi" / "manifest.json").read_text())
    in_copy = manifest["tables"]["audit_entry"]["rows"]
    with app.app_context():
        test_rows = sa.select(sa.func.count()).where(AuditEntry.actor == "skriver")
        assert db.session.scalar(test_rows) == written
        other = db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) - written
    assert 50 <= in_copy - other <= written  # a snapshot from the middle of the writing

    target = make_test_app(empty_database_url, tmp_path / "b")
    restored = restore(target, tmp_path / "kopi")
    assert restored.exit_code == 0, restored.output
    found = figures(target)
    assert {n: f.rows for n, f in found.items()} == {
        n: t["rows"] for n, t in manifest["tables"].items()
    }
    assert snapshot.checksum(found) == manifest["checksum"]
