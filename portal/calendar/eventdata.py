"""What an editor enters for an event, and the checks it must pass before it is saved. No
database writes here; the organiser is read to check that it may organise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from portal.administration import VALUES
from portal.auth.models import User
from portal.calendar import bounds, rules
from portal.calendar.models import KINDS
from portal.cpr import contains_cpr
from portal.errors import ValidationError
from portal.extensions import db
from portal.security import Role
from portal.timeutil import at_local, local

MAX_CAPACITY = 10_000
CPR_MESSAGE = (
    "{field} ser ud til at indeholde et CPR-nummer. Oplysninger om borgere hører ikke hjemme i "
    "portalen: fjern nummeret, og gem igen."
)


@dataclass
class EventData:
    """What an editor enters for an event. Times are Copenhagen wall-clock times."""

    title: str
    kind: str
    administration: str
    day: date
    start: time
    end: time
    location: str
    description: str = ""
    organiser_id: int | None = None
    capacity: int | None = None
    deadline: datetime | None = None  # aware
    frequency: str = ""  # "", WEEKLY or MONTHLY
    interval: int = 1
    until: date | None = None
    is_demo: bool = False

    @property
    def starts_at(self) -> datetime:
        return at_local(self.day, self.start)

    @property
    def ends_at(self) -> datetime:
        return at_local(self.day, self.end)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, as one space: a title or a
    place is one line (in the page, the e-mail subject and the .ics file alike)."""
    return " ".join(text.split())


def check_day(day: date | None) -> None:
    """:raises ValidationError: if ``day`` is outside the calendar's years (``bounds``)."""
    if day is not None and not bounds.within(day):
        raise ValidationError(bounds.MESSAGE)


def refuse_cpr(**texts: str | None) -> None:
    """:raises ValidationError: if any of the texts (keyword: its Danish field name) holds a
    CPR-like number."""
    for name, text in texts.items():
        if text and contains_cpr(text):
            raise ValidationError(CPR_MESSAGE.format(field=name.replace("_", " ").capitalize()))


def _check_organiser(organiser_id: int | None) -> None:
    if organiser_id is None:
        return
    user = db.session.get(User, organiser_id)
    if user is None or not user.active or user.role != Role.CONTACT:
        raise ValidationError("Arrangøren skal være en aktiv kontaktperson eller specialenheden.")


def validate(data: EventData) -> str | None:
    """Check the editor's input (title and place as one line each) and return the series'
    RRULE, or None for a single event.

    :raises ValidationError: with a Danish message for input that cannot be saved.
    """
    data.title, data.location = one_line(data.title), one_line(data.location)
    for day in (data.day, data.until, data.deadline.date() if data.deadline else None):
        check_day(day)
    if not data.title or len(data.title) > 200:
        raise ValidationError("Titlen skal udfyldes og må højst have 200 tegn.")
    if not data.location or len(data.location) > 300:
        raise ValidationError("Stedet skal udfyldes og må højst have 300 tegn.")
    if data.kind not in KINDS or data.administration not in VALUES:
        raise ValidationError("Vælg en mødetype og en målgruppe fra listerne.")
    if data.end <= data.start:
        raise ValidationError("Mødet skal slutte, efter det begynder.")
    if data.capacity is not None and not 0 < data.capacity <= MAX_CAPACITY:
        raise ValidationError(f"Antal pladser skal være mellem 1 og {MAX_CAPACITY}.")
    if data.deadline is not None and data.deadline >= data.starts_at:
        raise ValidationError("Tilmeldingsfristen skal ligge før mødet begynder.")
    refuse_cpr(titel=data.title, sted=data.location, beskrivelse=data.description)
    _check_organiser(data.organiser_id)
    if not data.frequency:
        return None
    start_local = local(data.starts_at)
    rule = rules.build(data.frequency, data.interval, start_local, data.until)
    rules.check(rule, start_local)
    return rule
