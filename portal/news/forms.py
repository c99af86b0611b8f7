from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from portal.administration import CHOICES
from portal.forms import VersionedForm


class NewsForm(VersionedForm):
    """Write a news item. Which button was pressed says what to do with it."""

    title = StringField("Overskrift", validators=[DataRequired("Skriv en overskrift.")])
    summary = TextAreaField("Resumé (vises i lister og i feedet)", validators=[Optional()])
    body = TextAreaField("Tekst (Markdown)", validators=[Optional()])
    administration = SelectField("Målgruppe", choices=CHOICES, default="both")
    pass_on = BooleanField("Til videreformidling (kontaktpersoner giver den videre)")
    pinned_until = DateField("Fastgjort på forsiden til og med", validators=[Optional()])
    publish_at = DateTimeLocalField(
        "Udgiv på tidspunkt", format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    preview = SubmitField("Forhåndsvis")
    save = SubmitField("Gem")
    publish = SubmitField("Udgiv")
