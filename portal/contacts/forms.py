from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from portal.administration import FILTERS
from portal.contacts import units_forms
from portal.forms import VersionedForm


class ProfileForm(VersionedForm):
    """What a contact person may change about themselves. Fields not here are never read."""

    email = EmailField("E-mail", validators=[DataRequired("Skriv din e-mailadresse.")])
    phone = TelField("Telefon", validators=[Optional()])
    job_title = StringField("Stilling", validators=[Optional()])
    centre = units_forms.EntrySelectField("Center/enhed", choices=units_forms.centre_choices)
    team = units_forms.TeamField("Team", choices=units_forms.team_choices)
    workplace = StringField("Arbejdssted (adresse)", validators=[Optional()])
    areas = StringField("Kan hjælpe med", validators=[Optional()])
    about = TextAreaField("Kort om mig", validators=[Optional()])
    photo = FileField("Foto (JPEG, PNG eller WebP, højst 5 MB)")
    remove_photo = BooleanField("Fjern mit foto")

    def values(self, fields: tuple[str, ...]) -> dict[str, Any]:
        """The submitted values of those ``fields`` that this form has."""
        return {name: getattr(self, name).data for name in fields if hasattr(self, name)}

    def uploaded_photo(self) -> bytes | None:
        upload = self.photo.data
        return upload.read() if upload and getattr(upload, "filename", "") else None


class EditorProfileForm(ProfileForm):
    """Editors may also change the name and the administration."""

    name = StringField("Navn", validators=[DataRequired("Skriv navnet.")])
    administration = SelectField("Forvaltning", choices=FILTERS, validate_choice=False)


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Ny adgangskode (mindst 12 tegn)",
        validators=[DataRequired("Skriv en adgangskode."), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        "Gentag adgangskoden",
        validators=[EqualTo("password", "De to adgangskoder er ikke ens.")],
        render_kw={"autocomplete": "new-password"},
    )
