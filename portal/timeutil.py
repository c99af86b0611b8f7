"""Local time: the configured zone (``TIMEZONE``, Europe/Copenhagen). Timestamps are stored in
UTC; people see and type wall-clock time in this zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from portal.db import utcnow

DEFAULT_ZONE = "Europe/Copenhagen"


def zone() -> ZoneInfo:
    """The configured zone (outside an app, the default)."""
    name = current_app.config["TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)  # ZoneInfo caches one instance per name


def local(value: datetime) -> datetime:
    return value.astimezone(zone())


def local_now() -> datetime:
    return local(utcnow())


def local_today(now: datetime | None = None) -> date:
    return local(now or utcnow()).date()


def at_local(day: date, clock: time) -> datetime:
    """A wall-clock time on ``day``, as an aware datetime in UTC."""
    return datetime.combine(day, clock, tzinfo=zone()).astimezone(UTC)


def from_local(value: datetime) -> datetime:
    """A naive wall-clock datetime (from a form) as an aware datetime in UTC."""
    return value.replace(tzinfo=zone()).astimezone(UTC)
