"""iCalendar (RFC 5545) for Outlook: the feed to subscribe to and one file per event.

A series is one VEVENT with an RRULE; a cancelled occurrence is an EXDATE (so Outlook removes
it), a moved one a VEVENT of its own with RECURRENCE-ID. A cancelled event or series keeps its
VEVENT with STATUS:CANCELLED and "Aflyst:" in the summary, since Outlook shows no status in a
subscribed calendar. Every VEVENT of an event carries the event's SEQUENCE, raised on each change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

import icalendar

from portal.administration import label
from portal.calendar import occurrences
from portal.calendar.models import KINDS, Event
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.timeutil import local

# The address of an event's page, or of one of its occurrences.
Link = Callable[[Event, Occurrence | None], str]

PRODID = "-//BIF-SOF Portalen//Kalender//DA"
CALENDAR_NAME = "BIF-SOF Portalen: møder"
REMINDER = timedelta(days=-1)
FEED_HISTORY = timedelta(days=90)  # the feed keeps recent meetings, so Outlook does not drop them


def timezone() -> icalendar.Timezone:
    """Europe/Copenhagen by its rules since 1996 (EU summer time), which Outlook reads."""
    tz = icalendar.Timezone()
    tz.add("tzid", "Europe/Copenhagen")
    tz.add("x-lic-location", "Europe/Copenhagen")
    for kind, name, start, month, offsets in [
        (icalendar.TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2), 3, (1, 2)),
        (icalendar.TimezoneStandard, "CET", datetime(1970, 10, 25, 3), 10, (2, 1)),
    ]:
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        tz.add_component(part)
    return tz


def one_line(text: str) -> str:
    """A one-line value (a name, a summary, a place): services store titles and places as one
    line, but a line break in an older row must not break the file (a calendar's name cannot
    hold one at all)."""
    return " ".join(text.split())


def _vevent(event: Event, occurrence: Occurrence, url: str, last_modified=None):
    cancelled = occurrence.is_cancelled
    title = one_line(event.title)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", utcnow())
    vevent.add("created", event.created_at)
    vevent.add("last-modified", last_modified or occurrence.updated_at)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", local(occurrence.starts_at))
    vevent.add("dtend", local(occurrence.ends_at))
    vevent.add("summary", f"Aflyst: {title}" if cancelled else title)
    vevent.add("location", one_line(occurrence.location))
    lines = [
        f"{event.kind_label} for {event.administration_label}.",
        f"Arrangør: {event.organiser_name}.",
    ]
    if cancelled and occurrence.cancel_reason:
        lines.insert(0, f"AFLYST: {occurrence.cancel_reason}")
    if event.description_source.strip():
        lines.append(event.description_source.strip())  # Markdown reads well as plain text
    lines.append(f"Læs mere og tilmeld dig: {url}")
    vevent.add("description", "\n\n".join(lines))
    vevent.add("url", url)
    vevent.add("categories", [event.kind_label])
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    vevent.add("class", "PUBLIC")
    if event.organiser is not None:
        vevent.add("organizer", _address(event.organiser.name, event.organiser.email))
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"I morgen: {title}")
        alarm.add("trigger", REMINDER)
        vevent.add_component(alarm)
    return vevent


def instance(event: Event, occurrence: Occurrence, link: Link) -> icalendar.Event:
    """One occurrence of a series as a VEVENT of its own: the series' UID and its
    RECURRENCE-ID (a moved date in the feed, a date someone registered for)."""
    vevent = _vevent(event, occurrence, link(event, occurrence))
    vevent.add("recurrence-id", local(occurrence.original_start))
    return vevent


def of_occurrence(occurrence: Occurrence, link: Link) -> list[icalendar.Event]:
    """What one registration is for: a single event, or one date of a series."""
    if not occurrence.key:
        return components(occurrence.event, link)
    return [instance(occurrence.event, occurrence, link)]


def components(event: Event, link: Link) -> list[icalendar.Event]:
    """The event's VEVENTs: one, or a series with its exceptions."""
    if not event.rrule:
        return [_vevent(event, occurrences.single(event), link(event, None))]
    first = occurrences.original(event, local(event.starts_at))
    # The series changes with each of its exceptions (an EXDATE, a new RECURRENCE-ID).
    modified = max([event.updated_at, *(c.updated_at for c in event.changes)])
    master = _vevent(event, first, link(event, None), modified)
    master.add("rrule", icalendar.vRecur.from_ical(event.rrule))
    result = [master]
    for change in sorted(event.changes, key=lambda c: c.day):
        occurrence = occurrences.find(event, date.fromisoformat(change.day))
        if occurrence is None:
            continue
        if change.status == "cancelled" and event.status != "cancelled":
            master.add("exdate", local(occurrence.original_start))
        elif change.status == "moved":
            result.append(instance(event, occurrence, link))
    return result


def _calendar(method: str, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name is not None:  # a subscribed calendar
        cal.add("x-wr-calname", one_line(name))
        cal.add("x-wr-timezone", "Europe/Copenhagen")
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    cal.add_component(timezone())
    return cal


def calendar(events: Iterable[Event], link: Link, name: str) -> bytes:
    cal = _calendar("PUBLISH", name)
    for event in events:
        for component in components(event, link):
            cal.add_component(component)
    return cal.to_ical()


def personal(chosen: Iterable[Occurrence], link: Link, name: str) -> bytes:
    """A person's own meetings: each date they are registered for, as in ``of_occurrence``."""
    cal = _calendar("PUBLISH", name)
    for occurrence in chosen:
        for component in of_occurrence(occurrence, link):
            cal.add_component(component)
    return cal.to_ical()


def invitation(
    occurrence: Occurrence,
    link: Link,
    attendee: tuple[str, str],
    organiser: tuple[str, str],
    withdrawn: bool = False,
) -> tuple[bytes, str]:
    """The file a registration mail carries (RFC 5546): the same VEVENTs, UID and SEQUENCE
    as the feed, as METHOD:REQUEST (registered, moved) or METHOD:CANCEL (cancelled, or
    ``withdrawn``: the attendee unregistered), so that Outlook adds, updates or removes the
    entry. ``attendee`` and ``organiser`` (when the event has no contact person as organiser:
    the portal's sender) are (name, address). Returns the file and its method."""
    method = "CANCEL" if occurrence.is_cancelled or withdrawn else "REQUEST"
    cal = _calendar(method)
    for vevent in of_occurrence(occurrence, link):
        if "organizer" not in vevent:
            vevent.add("organizer", _address(*organiser))
        person = _address(*attendee)
        person.params.update({"role": "REQ-PARTICIPANT", "partstat": "ACCEPTED", "rsvp": "FALSE"})
        vevent.add("attendee", person)
        cal.add_component(vevent)
    return cal.to_ical(), method


def _address(name: str, address: str) -> icalendar.vCalAddress:
    value = icalendar.vCalAddress(f"mailto:{address}")
    value.params["cn"] = one_line(name)
    return value


def feed_events(events: Iterable[Event], now: datetime | None = None) -> list[Event]:
    """The events a subscription carries: any with an occurrence after the recent past."""
    since = (now or utcnow()) - FEED_HISTORY
    chosen = [e for e in events if occurrences.has_occurrence_after(e, since)]
    return sorted(chosen, key=lambda e: (e.starts_at, e.id))


def feed_name(kind: str | None, administration: str | None) -> str:
    """The subscribed calendar's name in Outlook, with the filters it was chosen with."""
    name = CALENDAR_NAME
    if kind:
        name += f" ({KINDS[kind][0]})"
    if administration:
        name += f" for {label(administration)}"
    return name
