"""``portal backup DIR``: a consistent copy of the database, and a manifest to check a restore
against.

SQLite is copied with SQLite's online backup API (a bare file copy of a database in WAL mode
can miss committed transactions or be torn); PostgreSQL with ``pg_dump`` in its custom format.
Either way the copy is one snapshot, taken while the portal keeps working, and the manifest's
figures (row counts and checksums, ``snapshot.py``) are read from that same snapshot: from the
copied SQLite file, or in the PostgreSQL transaction whose snapshot ``pg_dump`` is given.

Profile photos are stored in the database (``contact_profile.photo``), so the copy holds them.
The search index is derived data: rebuild it after a restore instead of copying it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from portal.contacts.models import ContactProfile
from portal.extensions import db
from portal.ops import snapshot

MANIFEST = "manifest.json"
FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("Databasen ligger ikke i en fil; den kan ikke sikkerhedskopieres.")
    return Path(url.database)


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string for pg_dump/pg_restore, and their environment: the password goes in
    the environment, never on a command line that ``ps`` shows."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, env


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} findes ikke: installer PostgreSQL-klienten (Debian: postgresql-client)."
        ) from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{command[0]} fejlede: {detail[-1] if detail else done.returncode}")


WHY = {
    errno.ENOENT: "en mappe over den findes ikke",
    errno.ENOTDIR: "en del af stien er en fil",
    errno.EACCES: "portalens bruger må ikke skrive der (tjek ejer og rettigheder)",
    errno.EPERM: "portalens bruger må ikke skrive der (tjek ejer og rettigheder)",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld",
}


def _prepare(directory: Path) -> None:
    """A new or empty directory that only the portal's user can read: the copy holds personal
    data and password hashes."""
    try:
        if directory.exists() and not directory.is_dir():
            raise BackupError(f"{directory} er en fil; vælg en ny mappe til kopien.")
        if directory.exists() and any(directory.iterdir()):
            raise BackupError(f"Mappen {directory} er ikke tom; vælg en ny mappe til kopien.")
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)
    except OSError as exc:
        why = WHY.get(exc.errno or 0, exc.strerror)
        raise BackupError(f"Mappen {directory} kan ikke oprettes: {why}.") from exc


def _photos(conn: sa.Connection) -> int:
    if "contact_profile" not in snapshot.tables(conn):
        return 0
    query = sa.select(sa.func.count()).where(ContactProfile.photo.is_not(None))
    return conn.scalar(query) or 0


def _revision(conn: sa.Connection) -> str | None:
    if "alembic_version" not in snapshot.tables(conn):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _backup_sqlite(url: URL, target: Path) -> tuple[dict[str, snapshot.TableFigures], dict]:
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"Databasefilen {source} findes ikke.")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # one step: a consistent snapshot while writers carry on (WAL)
    engine = sa.create_engine(f"sqlite:///{target}", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return snapshot.figures(conn), {"photos": _photos(conn), "revision": _revision(conn)}
    finally:
        engine.dispose()


def _backup_postgresql(url: URL, target: Path) -> tuple[dict[str, snapshot.TableFigures], dict]:
    dsn, env = libpq(url)
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            command = ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}"]
            run([*command, f"--file={target}", f"--dbname={dsn}"], env)
            per_table = snapshot.figures(conn)
            extra = {"photos": _photos(conn), "revision": _revision(conn)}
    return per_table, extra


def take(directory: Path) -> dict[str, Any]:
    """Copy the database into ``directory`` (new or empty) and write its manifest."""
    url = db.engine.url
    dialect = db.engine.dialect.name
    if dialect not in FILES:
        raise BackupError(f"Databasen {dialect} kan ikke sikkerhedskopieres.")
    _prepare(directory)
    target = directory / FILES[dialect]
    if dialect == "sqlite":
        per_table, extra = _backup_sqlite(url, target)
    else:
        per_table, extra = _backup_postgresql(url, target)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": dialect,
        "schema_revision": extra["revision"],
        "file": target.name,
        "file_sha256": sha256_of(target),
        "photos": extra["photos"],
        "tables": {name: {"rows": f.rows, "sha256": f.sha256} for name, f in per_table.items()},
        "checksum": snapshot.checksum(per_table),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for written in (target, directory / MANIFEST):
        written.chmod(0o600)
    return manifest
