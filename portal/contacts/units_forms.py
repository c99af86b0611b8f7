"""Forms for the lists: the profile form's centre and team selects (with a box to propose a
team), and the editors' forms to add, rename and merge centres, teams and areas."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Optional

from portal.administration import FILTERS
from portal.contacts import lists
from portal.forms import VersionedForm


def centre_choices() -> list[SelectChoice]:
    """Every centre, grouped by administration."""
    return [SelectChoice("", "Intet center valgt")] + [
        SelectChoice(str(c.id), c.name, optgroup=FILTERS[c.administration]) for c in lists.centres()
    ]


def team_choices() -> list[SelectChoice]:
    """Every team, grouped by centre; a proposed team says that it awaits approval."""
    return [SelectChoice("", "Intet team valgt")] + [
        SelectChoice(
            str(t.id), lists.team_label(t), optgroup=f"{t.centre.name} ({t.centre.administration})"
        )
        for t in lists.teams(approved=None)
    ]


class EntrySelectField(SelectField):
    """A select of list entries by id. Filled from an object, it shows that entry. Whether
    the submitted id is one of them, the service decides (with a Danish message)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_data(self, value):
        super().process_data(getattr(value, "id", value))


class TeamField(EntrySelectField):
    """The team select, and next to it a text box (``<name>_nyt``) to propose a team that is
    not on the list. Its data is the chosen id, or a ``lists.NewTeam`` when a name was typed."""

    data: str | lists.NewTeam | None
    proposal = ""
    chosen: str | None = None  # what the select says, shown as chosen beside a proposal

    @property
    def proposal_name(self) -> str:
        return f"{self.name}_nyt"

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.chosen = None if isinstance(self.data, lists.NewTeam) else self.data
        typed = formdata.get(self.proposal_name, "") if formdata is not None else ""
        self.proposal = " ".join(str(typed).split())
        if self.proposal:
            self.data = lists.NewTeam(self.proposal)

    def _marked(self, choices: list[Choice]) -> list[Choice]:
        return [c._replace(selected=self.coerce(c.value) == self.chosen) for c in choices]

    def iter_choices(self):
        return self._marked(super().iter_choices())

    def iter_groups(self):
        for label, choices in super().iter_groups():
            yield label, self._marked(choices)


# The editors' page


class CentreForm(FlaskForm):
    name = StringField("Navn på centret", validators=[Optional()])
    administration = SelectField("Forvaltning", choices=FILTERS, validate_choice=False)


class TeamForm(FlaskForm):
    centre = EntrySelectField("Center", choices=centre_choices)
    name = StringField("Navn på teamet", validators=[Optional()])


class RenameForm(VersionedForm):
    name = StringField("Nyt navn", validators=[Optional()])


class MergeForm(FlaskForm):
    """Merge one entry into another (its choices are set by the view)."""

    into = EntrySelectField("Læg sammen med")
    sure = BooleanField(
        "Ja, flyt alle profilerne, og fjern det første",
        validators=[DataRequired("Sæt kryds for at bekræfte sammenlægningen.")],
    )


class AreaMergeForm(FlaskForm):
    gone = SelectField("Området, der skal væk", validate_choice=False)
    into = SelectField("Læg det sammen med", validate_choice=False)
    sure = BooleanField(
        "Ja, flyt alle profilerne til det andet område",
        validators=[DataRequired("Sæt kryds for at bekræfte sammenlægningen.")],
    )
