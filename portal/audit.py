"""The audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow
from portal.extensions import db


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The acting user; null for the system (CLI, setup). ``actor`` keeps a readable label
    # that stays after the user is erased (then pseudonymised).
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[str] = mapped_column(sa.String(60))
    field: Mapped[str | None] = mapped_column(sa.String(60))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (sa.Index("ix_audit_entry_object", "object_type", "object_id"),)


def record(
    actor,
    action: str,
    obj_type: str,
    obj_id: object,
    field: str | None = None,
    old: object = None,
    new: object = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction. ``actor`` is a user or None (system)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "email", None) or "system",
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        field=field,
        old_value=None if old is None else str(old),
        new_value=None if new is None else str(new),
    )
    db.session.add(entry)
    return entry
