"""Recurrence rules: RFC 5545 RRULE text from an editor's choices, back again, and in Danish.

Editors choose "every n weeks on the start's weekday" or "every n months on the start's nth
weekday" (the second Tuesday of every third month); at most one occurrence a day, so a date is
enough to name an occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from babel.dates import format_date
from dateutil.rrule import rrulestr

from portal.errors import ValidationError

FREQUENCIES = {"WEEKLY": "uge", "MONTHLY": "måned"}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
ORDINALS = {
    1: "første",
    2: "anden",
    3: "tredje",
    4: "fjerde",
    5: "femte",
    6: "sjette",
    -1: "sidste",
}
MAX_INTERVAL = 12
END_OF_DAY = time(23, 59, 59)


def nth_weekday(day: date) -> int:
    """Which of its weekday in the month ``day`` is: 1-4, or -1 for the last (a fifth)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def build(frequency: str, interval: int, start_local: datetime, until: date | None) -> str:
    """The RRULE for a series that starts at ``start_local`` (a Copenhagen time)."""
    if frequency not in FREQUENCIES:
        raise ValidationError("Vælg, hvor ofte mødet gentages.")
    if not 1 <= interval <= MAX_INTERVAL:
        raise ValidationError(f"Mødet kan gentages højst hver {MAX_INTERVAL}. gang.")
    weekday = WEEKDAYS[start_local.weekday()]
    parts = [f"FREQ={frequency}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if frequency == "MONTHLY":
        parts.append(f"BYDAY={nth_weekday(start_local.date())}{weekday}")
    else:
        parts.append(f"BYDAY={weekday}")
    if until is not None:
        if until < start_local.date():
            raise ValidationError("Gentagelsen kan ikke slutte, før den begynder.")
        # RFC 5545: with a zoned DTSTART, UNTIL is in UTC: the end of that Copenhagen day.
        end = datetime.combine(until, END_OF_DAY, tzinfo=start_local.tzinfo).astimezone(UTC)
        parts.append(f"UNTIL={end:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def _parts(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


def check(text: str, start_local: datetime) -> None:
    """:raises ValidationError: unless the rule is one an editor could have chosen and the
    series' first start is its first occurrence."""
    parts = _parts(text)
    if parts.get("FREQ") not in FREQUENCIES or {"BYHOUR", "BYMINUTE", "BYSECOND"} & set(parts):
        raise ValidationError(
            "Et møde kan gentages hver uge eller hver måned, højst én gang om dagen."
        )
    try:
        first = rrulestr(text, dtstart=start_local)[0]
    except (ValueError, IndexError) as exc:
        raise ValidationError("Gentagelsen giver ingen mødedatoer.") from exc
    if first != start_local:
        raise ValidationError(
            "Den første dato skal selv være en af seriens datoer, fx den anden tirsdag i måneden."
        )


def choices(text: str | None, start_local: datetime) -> tuple[str, int, date | None]:
    """An RRULE back as the editor's choices: (frequency, interval, last date or None)."""
    if not text:
        return "", 1, None
    parts = _parts(text)
    until = None
    if "UNTIL" in parts or "COUNT" in parts:
        until = list(rrulestr(text, dtstart=start_local))[-1].date()
    return parts.get("FREQ", ""), int(parts.get("INTERVAL", "1")), until


def _every(interval: int, unit: str) -> str:
    if interval == 1:
        return f"hver {unit}"
    word = ORDINALS.get(interval, f"{interval}.")
    return f"hver {word} {unit}"


def describe(text: str, start_local: datetime, locale: str = "da") -> str:
    """'Anden tirsdag hver tredje måned, til og med 8. december 2026'."""
    parts = _parts(text)
    frequency, interval, until = choices(text, start_local)
    weekday = WEEKDAY_NAMES[start_local.weekday()]
    if frequency == "MONTHLY":
        nth = ORDINALS[nth_weekday(start_local.date())]
        words = f"{nth} {weekday} {_every(interval, 'måned')}"
    else:
        words = f"{weekday} {_every(interval, 'uge')}"
    words = words[0].upper() + words[1:]
    if "COUNT" in parts:
        words += f", {parts['COUNT']} gange"
    if until is not None:
        words += f", til og med {format_date(until, 'd. MMMM y', locale=locale)}"
    return words
