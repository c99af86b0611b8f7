"""The editor's event form, moving and cancelling, and registration; messages in Danish. An
edit form opens with the event's values and version (``event_values``, ``move_values``)."""

from __future__ import annotations

from datetime import time

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.administration import CHOICES, Administration
from portal.calendar import bounds, rules
from portal.calendar.eventdata import MAX_CAPACITY, EventData
from portal.calendar.models import KINDS, SPECIAL_UNIT, Event
from portal.calendar.occurrences import Occurrence
from portal.calendar.registrations import ADMINISTRATIONS
from portal.forms import VersionedForm
from portal.timeutil import at_local, local

# WTForms' own messages, for the few fields whose input it parses itself.
DANISH = {
    "Not a valid date value.": "Skriv en gyldig dato.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt, fx 13:00.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid choice.": "Vælg en af mulighederne på listen.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne på listen.",
}


class DanishMessages:
    def gettext(self, string: str) -> str:
        return DANISH.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return DanishMessages()


class DayField(DateField):
    """A date input within the calendar's years (``bounds``). Input that is not a date is not
    echoed back: an <input type=date> can only hold a valid date (browsers send nothing else),
    so it starts empty with the error."""

    def pre_validate(self, form) -> None:
        if self.data is not None and not bounds.within(self.data):
            raise ValidationError(bounds.MESSAGE)

    def _value(self) -> str:
        if self.raw_data and self.data is None:
            return ""
        return super()._value()


def _organiser(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


REPEAT_CHOICES = {
    "": "Gentages ikke",
    "WEEKLY": "Hver uge på samme ugedag",
    "MONTHLY": "Hver måned på samme ugedag, fx anden tirsdag",
}


class EventForm(Form, VersionedForm):
    title = StringField(
        "Titel",
        validators=[DataRequired("Skriv en titel."), Length(max=200, message="Højst 200 tegn.")],
    )
    kind = SelectField(
        "Mødetype", choices={k: label for k, (label, _) in KINDS.items()}, default="network"
    )
    administration = SelectField("Målgruppe", choices=CHOICES, default=Administration.BOTH.value)
    day = DayField("Dato", validators=[InputRequired("Vælg datoen.")])
    start = TimeField("Fra kl.", validators=[InputRequired("Skriv, hvornår mødet begynder.")])
    end = TimeField("Til kl.", validators=[InputRequired("Skriv, hvornår mødet slutter.")])
    location = StringField(
        "Sted",
        validators=[
            DataRequired("Skriv, hvor mødet holdes."),
            Length(max=300, message="Højst 300 tegn."),
        ],
    )
    description = TextAreaField(
        "Beskrivelse", validators=[Length(max=20_000, message="Beskrivelsen er for lang.")]
    )
    organiser = SelectField("Arrangør", choices={}, default="")
    capacity = IntegerField(
        "Antal pladser",
        validators=[
            Optional(),
            NumberRange(1, MAX_CAPACITY, f"Skriv et tal mellem 1 og {MAX_CAPACITY}."),
        ],
    )
    deadline_day = DayField("Tilmeldingsfrist, dato", validators=[Optional()])
    deadline_time = TimeField("Tilmeldingsfrist, kl.", validators=[Optional()])
    repeat = SelectField("Gentagelse", choices=REPEAT_CHOICES, default="")
    interval = IntegerField(
        "Hver hvilken gang",
        default=1,
        validators=[Optional(), NumberRange(1, 12, "Skriv et tal mellem 1 og 12.")],
    )
    until = DayField("Sidste gang senest", validators=[Optional()])

    def set_organisers(self, users) -> None:
        self.organiser.choices = {"": SPECIAL_UNIT} | {str(u.id): u.name for u in users}

    def data_for_service(self) -> EventData:
        deadline = None
        if self.deadline_day.data:
            clock = self.deadline_time.data or time(23, 59)
            deadline = at_local(self.deadline_day.data, clock)
        return EventData(
            title=self.title.data or "",
            kind=self.kind.data,
            administration=self.administration.data,
            day=self.day.data,
            start=self.start.data,
            end=self.end.data,
            location=self.location.data or "",
            description=self.description.data or "",
            organiser_id=_organiser(self.organiser.data),
            capacity=self.capacity.data,
            deadline=deadline,
            frequency=self.repeat.data or "",
            interval=self.interval.data or 1,
            until=self.until.data,
        )


def event_values(event: Event) -> dict:
    """The edit form's fields as the event is now (the reverse of ``data_for_service``)."""
    start, end = local(event.starts_at), local(event.ends_at)
    frequency, interval, until = rules.choices(event.rrule, start)
    deadline = local(event.registration_deadline) if event.registration_deadline else None
    return {
        "title": event.title,
        "kind": event.kind,
        "administration": event.administration,
        "day": start.date(),
        "start": start.time(),
        "end": end.time(),
        "location": event.location,
        "description": event.description_source,
        "organiser": str(event.organiser_id or ""),
        "capacity": event.capacity,
        "deadline_day": deadline.date() if deadline else None,
        "deadline_time": deadline.time() if deadline else None,
        "repeat": frequency,
        "interval": interval,
        "until": until,
        "version": str(event.version),
    }


NEW_EVENT = {"start": time(13), "end": time(15), "version": "0"}


class MoveForm(Form, VersionedForm):
    day = DayField("Ny dato", validators=[InputRequired("Vælg den nye dato.")])
    start = TimeField("Fra kl.", validators=[InputRequired("Skriv, hvornår mødet begynder.")])
    end = TimeField("Til kl.", validators=[InputRequired("Skriv, hvornår mødet slutter.")])
    location = StringField("Sted", validators=[Length(max=300, message="Højst 300 tegn.")])


def move_values(occurrence: Occurrence) -> dict:
    start, end = local(occurrence.starts_at), local(occurrence.ends_at)
    return {
        "day": start.date(),
        "start": start.time(),
        "end": end.time(),
        "location": occurrence.location,
        "version": str(occurrence.event.version),
    }


class CancelForm(Form, VersionedForm):
    reason = TextAreaField(
        "Hvorfor aflyses mødet?",
        validators=[
            DataRequired("Skriv en begrundelse, som deltagerne kan se."),
            Length(max=1000, message="Højst 1000 tegn."),
        ],
    )


class DeleteForm(Form, VersionedForm):
    confirm = BooleanField(
        "Ja, slet mødet og alle tilmeldinger", validators=[DataRequired("Bekræft sletningen.")]
    )


class RegistrationForm(Form):
    administration = SelectField(
        "Din forvaltning",
        choices={"": "Vælg forvaltning"} | ADMINISTRATIONS,
        validators=[DataRequired("Vælg din forvaltning.")],
    )
    unit = StringField(
        "Din enhed eller dit team (valgfrit)",
        validators=[Length(max=200, message="Højst 200 tegn.")],
    )


class UnregisterForm(Form):
    pass
