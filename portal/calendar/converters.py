"""The ``dato`` URL converter: an occurrence's address is its original date."""

from datetime import date

from werkzeug.routing import BaseConverter
from werkzeug.routing import ValidationError as NoRoute

from portal.calendar.bounds import within


class DayConverter(BaseConverter):
    """An occurrence's address: its original date, YYYY-MM-DD, within the calendar's years
    (``bounds``); any other date is no route, so a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            raise NoRoute() from exc
        if not within(day):
            raise NoRoute()
        return day

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)
