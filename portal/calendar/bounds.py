"""The dates the calendar holds: meetings are planned, and addressed, from 2000 to 2100. Outside
them a date is no meeting's, and its arithmetic could overflow (a day before 0001-01-01 or after
9999-12-31, or a local midnight that is no UTC time): such a date is refused where it comes in,
as a 404 in a URL or a message in a form."""

from __future__ import annotations

from datetime import date

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
MESSAGE = f"Vælg en dato mellem {FIRST_DAY.year} og {LAST_DAY.year}."


def within(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def month_within(year: int, month: int) -> bool:
    return 1 <= month <= 12 and FIRST_DAY.year <= year <= LAST_DAY.year
