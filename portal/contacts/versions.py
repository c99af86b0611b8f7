"""One save wins: the database, not Python, decides which of two saves at the same version of
a profile is the later one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from portal.contacts.models import ContactProfile
from portal.errors import Conflict, check_version
from portal.extensions import db


@contextmanager
def one_save_wins(profile: ContactProfile) -> Iterator[None]:
    """Change ``profile`` inside; it is flushed at the end. If another transaction saved it
    after it was loaded, this is the edit form's conflict.

    ``check_version`` compares in Python, so two saves at the same version can both pass it;
    the mapper's ``version_id_col`` makes the UPDATE expect the loaded version, so the later
    one matches no row (on PostgreSQL it waits for the first to commit) and SQLAlchemy raises
    StaleDataError, however the flush was reached (an autoflush too).

    :raises Conflict: with ``check_version``'s message.
    """
    try:
        yield
        db.session.flush()
    except StaleDataError as exc:
        try:
            check_version(profile, None, "Profilen")  # without a version: always the conflict
        except Conflict as conflict:
            raise conflict from exc
        raise
