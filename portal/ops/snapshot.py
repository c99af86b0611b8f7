"""What a backup holds, as figures that a restore can be checked against: every table's row
count and a checksum of its rows, and one checksum over all of them.

A table's checksum does not depend on the order the database returns its rows (each row is
hashed on its own and the row hashes are sorted), so it is the same for a restored copy on
another server. Values are read as the driver returns them, without SQLAlchemy's type
conversion; binary values (profile photos) are hashed by content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class TableFigures:
    rows: int
    sha256: str


def tables(conn: sa.Connection) -> list[str]:
    names = sa.inspect(conn).get_table_names()
    return sorted(n for n in names if not n.startswith("sqlite_"))


def _value(value: Any) -> bytes:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return b"b:" + hashlib.sha256(value).hexdigest().encode()
    return repr(value).encode()


def table_figures(conn: sa.Connection, table: str) -> TableFigures:
    quoted = conn.dialect.identifier_preparer.quote(table)
    digests = []
    result = conn.execution_options(yield_per=500).exec_driver_sql(f"SELECT * FROM {quoted}")  # noqa: S608
    for row in result:
        digests.append(hashlib.sha256(b"\x1f".join(_value(v) for v in row)).digest())
    digests.sort()
    return TableFigures(len(digests), hashlib.sha256(b"".join(digests)).hexdigest())


def figures(conn: sa.Connection) -> dict[str, TableFigures]:
    """Every table's figures, read in ``conn``'s transaction (one snapshot of the database)."""
    return {table: table_figures(conn, table) for table in tables(conn)}


def checksum(per_table: dict[str, TableFigures]) -> str:
    """One checksum over every table's name, count and checksum."""
    lines = (f"{name}:{f.rows}:{f.sha256}" for name, f in sorted(per_table.items()))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def has_rows(conn: sa.Connection) -> list[str]:
    """The tables (other than the schema version) that hold any row."""
    found = []
    for table in tables(conn):
        if table == "alembic_version":
            continue
        quoted = conn.dialect.identifier_preparer.quote(table)
        if conn.exec_driver_sql(f"SELECT 1 FROM {quoted} LIMIT 1").first():  # noqa: S608
            found.append(table)
    return found
