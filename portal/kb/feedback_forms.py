"""The reader's feedback form and the editor's handling form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField

from portal.forms import VersionedForm

ANSWERS = {"ja": True, "nej": False}


class FeedbackForm(FlaskForm):
    """ "Er siden korrekt og nyttig?": the service checks the answer and the comment."""

    useful = RadioField(
        "Er siden korrekt og nyttig?",
        choices={"ja": "Ja", "nej": "Nej"},
        validate_choice=False,
    )
    comment = TextAreaField("Kommentar (valgfri)")

    def answer(self) -> bool | None:
        return ANSWERS.get(self.useful.data or "")


class HandleForm(VersionedForm):
    reply = TextAreaField("Svar til den, der skrev")
