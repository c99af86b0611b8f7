"""``portal restore DIR``: put a backup back, then prove it arrived whole.

The copy's file is checked against the manifest's checksum before anything is touched, and a
database that holds data is only overwritten with ``--force``. After the restore, SQLite's
``PRAGMA integrity_check`` and ``foreign_key_check`` must pass, and every table's row count and
checksum must equal the manifest's: otherwise the restore is reported as failed.

Stop the app servers and the jobs timer first: a restore replaces the whole database under
them.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL

from portal.extensions import db
from portal.ops import snapshot
from portal.ops.backup import (
    FILES,
    FORMAT,
    MANIFEST,
    BackupError,
    libpq,
    run,
    sha256_of,
    sqlite_path,
)

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Restored:
    manifest: dict[str, Any]
    rows: int
    leftovers: list[str] = field(default_factory=list)  # tables the copy does not have


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, once the copy's file is known to be the one it describes."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{directory} har ingen {MANIFEST}: det er ikke en kopi.") from exc
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} i {directory} kan ikke læses.") from exc
    if manifest.get("format") != FORMAT or manifest.get("database") not in FILES:
        raise BackupError(f"{MANIFEST} i {directory} har et ukendt format.")
    copy = directory / FILES[manifest["database"]]
    if not copy.is_file():
        raise BackupError(f"Kopiens fil {copy.name} mangler i {directory}.")
    if sha256_of(copy) != manifest["file_sha256"]:
        raise BackupError(f"{copy.name} er ændret eller beskadiget: kontrolsummen passer ikke.")
    return manifest


def _integrity(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    if result != ["ok"]:
        raise BackupError(f"Integritetstjekket af {path.name} fejlede: {result[0]}")
    if broken_keys:
        raise BackupError(f"{path.name} har {len(broken_keys)} brudte fremmednøgler.")


def _restore_sqlite(url: URL, copy: Path) -> None:
    _integrity(copy)  # never copy a damaged file over a working database
    target = sqlite_path(url)
    try:
        with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(target)) as live:
            source.backup(live)
    except sqlite3.Error as exc:
        raise BackupError(f"Databasefilen {target} kan ikke åbnes: {exc}.") from exc
    _integrity(target)


def _restore_postgresql(url: URL, copy: Path) -> None:
    dsn, env = libpq(url)
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
    options += ["--single-transaction", "--exit-on-error"]
    run(["pg_restore", *options, f"--dbname={dsn}", str(copy)], env)


def _verify(manifest: dict[str, Any]) -> Restored:
    with db.engine.connect() as conn:
        found = snapshot.figures(conn)
        conn.rollback()
    problems = []
    for name, expected in manifest["tables"].items():
        got = found.get(name)
        if got is None:
            problems.append(f"tabellen {name} mangler")
        elif got.rows != expected["rows"]:
            problems.append(f"{name} har {got.rows} rækker, kopien {expected['rows']}")
        elif got.sha256 != expected["sha256"]:
            problems.append(f"{name} har andet indhold end kopien")
    if problems:
        raise BackupError("Genskabelsen stemmer ikke med manifestet: " + "; ".join(problems))
    leftovers = sorted(n for n in found if n not in manifest["tables"] and found[n].rows)
    return Restored(manifest, sum(f.rows for f in found.values()), leftovers)


def restore(directory: Path, force: bool = False) -> Restored:
    if not directory.is_dir():
        what = "er ikke en mappe" if directory.exists() else "findes ikke"
        raise BackupError(f"{directory} {what}: angiv mappen med kopien.")
    manifest = read_manifest(directory)
    dialect = db.engine.dialect.name
    if manifest["database"] != dialect:
        raise BackupError(
            f"Kopien er fra {NAMES[manifest['database']]}, men databasen er "
            f"{NAMES.get(dialect, dialect)}."
        )
    try:
        with db.engine.connect() as conn:
            filled = snapshot.has_rows(conn)
            conn.rollback()
    except sa.exc.OperationalError as exc:
        shown = db.engine.url.render_as_string(hide_password=True)
        raise BackupError(f"Databasen {shown} kan ikke åbnes: {exc.orig}.") from exc
    if filled and not force:
        shown = ", ".join(filled[:3]) + (" …" if len(filled) > 3 else "")
        raise BackupError(
            f"Databasen er ikke tom ({len(filled)} tabeller har data, fx {shown}). Brug "
            "--force for at erstatte den med kopien."
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection holds a lock or an old file
    copy = directory / FILES[dialect]  # never a path the manifest names
    if dialect == "sqlite":
        _restore_sqlite(db.engine.url, copy)
    else:
        _restore_postgresql(db.engine.url, copy)
    db.engine.dispose()
    return _verify(manifest)
