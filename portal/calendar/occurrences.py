"""When an event happens: a series' RRULE expanded in Copenhagen wall-clock time, with the changes
to single occurrences applied. No database writes here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulebase, rrulestr

from portal.calendar import bounds
from portal.calendar.models import Event, OccurrenceChange
from portal.timeutil import at_local, from_local, local

SINGLE = ""  # the occurrence key of an event that is not a series


@dataclass(frozen=True)
class Occurrence:
    """One time an event happens. ``key`` is "" for a single event, else the original local date
    (YYYY-MM-DD), which is also the occurrence's address and RECURRENCE-ID."""

    event: Event
    key: str
    original_start: datetime
    starts_at: datetime
    ends_at: datetime
    location: str
    status: str  # planned, moved, cancelled
    cancel_reason: str | None
    change: OccurrenceChange | None = None

    @property
    def day(self) -> date | None:
        return date.fromisoformat(self.key) if self.key else None

    @property
    def title(self) -> str:
        return self.event.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def moved_from(self) -> datetime | None:
        if self.key:
            return self.original_start if self.status == "moved" else None
        return self.event.moved_from if self.status == "moved" else None

    @property
    def registration_deadline(self) -> datetime | None:
        """The first occurrence's deadline, kept as long before each later occurrence."""
        deadline = self.event.registration_deadline
        if deadline is None:
            return None
        return self.starts_at - (self.event.starts_at - deadline)

    @property
    def updated_at(self) -> datetime:
        if self.change is not None and self.change.updated_at > self.event.updated_at:
            return self.change.updated_at
        return self.event.updated_at

    @property
    def url_values(self) -> dict[str, Any]:
        """The keyword arguments of ``url_for`` for the occurrence's page and actions."""
        values: dict[str, Any] = {"event_id": self.event.id}
        if self.day is not None:
            values["day"] = self.day
        return values


def rule(event: Event) -> rrulebase:
    """The series' rule, anchored at its first start in Copenhagen time (zone-aware, so each
    occurrence keeps the wall-clock time and gets that day's UTC offset).

    :raises ValueError: if the event is not a series.
    """
    if not event.rrule:
        raise ValueError(f"Event {event.id} is not a series")
    return rrulestr(event.rrule, dtstart=local(event.starts_at))


def _duration(event: Event) -> timedelta:
    # Wall-clock duration: a meeting from 13.00 to 15.30 lasts that on every date.
    start, end = local(event.starts_at), local(event.ends_at)
    return end.replace(tzinfo=None) - start.replace(tzinfo=None)


def original(event: Event, start_local: datetime) -> Occurrence:
    start = start_local.astimezone(UTC)
    end = from_local(start_local.replace(tzinfo=None) + _duration(event))
    return Occurrence(
        event=event,
        key=start_local.date().isoformat(),
        original_start=start,
        starts_at=start,
        ends_at=end,
        location=event.location,
        status="cancelled" if event.status == "cancelled" else "planned",
        cancel_reason=event.cancel_reason if event.status == "cancelled" else None,
    )


def _apply(occurrence: Occurrence, change: OccurrenceChange | None) -> Occurrence:
    if change is None or occurrence.status == "cancelled":  # a cancelled series stays cancelled
        return occurrence
    return Occurrence(
        event=occurrence.event,
        key=occurrence.key,
        original_start=occurrence.original_start,
        starts_at=change.starts_at or occurrence.starts_at,
        ends_at=change.ends_at or occurrence.ends_at,
        location=change.location or occurrence.location,
        status=change.status,
        cancel_reason=change.cancel_reason,
        change=change,
    )


def single(event: Event) -> Occurrence:
    return Occurrence(
        event=event,
        key=SINGLE,
        original_start=event.starts_at,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=event.location,
        status=event.status,
        cancel_reason=event.cancel_reason,
    )


def between(event: Event, start: datetime, end: datetime) -> list[Occurrence]:
    """The event's occurrences that overlap [start, end), moved ones where they now are."""
    if not event.is_series:
        occurrence = single(event)
        return [occurrence] if occurrence.ends_at > start and occurrence.starts_at < end else []
    changes = {c.day: c for c in event.changes}
    duration = event.ends_at - event.starts_at + timedelta(days=1)  # generous for DST days
    starts = rule(event).between(local(start - duration), local(end), inc=True)
    originals = {o.key: o for o in (original(event, s) for s in starts)}
    for day in changes.keys() - originals.keys():  # moved here from outside the window
        found = find(event, date.fromisoformat(day))
        if found is not None:
            originals[day] = found
    result = [_apply(o, changes.get(o.key)) for o in originals.values()]
    return sorted(
        (o for o in result if o.ends_at > start and o.starts_at < end), key=lambda o: o.starts_at
    )


def find(event: Event, day: date | None) -> Occurrence | None:
    """The occurrence whose original local date is ``day`` (None for a single event)."""
    if not event.is_series:
        return single(event) if day is None else None
    if day is None or not bounds.within(day):
        return None
    start = at_local(day, time(0))
    found = rule(event).between(start, start + timedelta(days=1), inc=True)
    if not found:
        return None
    change = next((c for c in event.changes if c.day == day.isoformat()), None)
    return _apply(original(event, found[0]), change)


def of_key(event: Event, key: str) -> Occurrence | None:
    """The occurrence a registration's ``occurrence`` names ("" for a single event)."""
    return find(event, date.fromisoformat(key) if key else None)


def first_after(event: Event, moment: datetime) -> Occurrence | None:
    """The next occurrence that has not ended at ``moment``, cancelled or not."""
    if not event.is_series:
        occurrence = single(event)
        return occurrence if occurrence.ends_at > moment else None
    window = timedelta(days=400)
    found = between(event, moment, moment + window)
    return found[0] if found else None


def has_occurrence_after(event: Event, moment: datetime) -> bool:
    if not event.is_series:
        return event.ends_at > moment
    return rule(event).after(local(moment) - _duration(event)) is not None or any(
        c.starts_at and c.starts_at > moment for c in event.changes
    )
