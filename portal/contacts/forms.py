import io
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
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from portal.administration import FILTERS
from portal.contacts import photos, units_forms
from portal.contacts.models import ContactProfile
from portal.forms import VersionedForm


def _chosen(field: FileField) -> bool:
    return bool(field.data and getattr(field.data, "filename", ""))


def photo_size(_form: FlaskForm, field: FileField) -> None:
    """A photo over the limit is the field's error; the rest of the form stays as typed."""
    if _chosen(field):
        stream = field.data.stream
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        if message := photos.too_many_bytes(size):
            raise ValidationError(message)


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
    photo = FileField("Foto (JPEG, PNG eller WebP, højst 5 MB)", validators=[photo_size])
    remove_photo = BooleanField("Fjern mit foto")

    def values(self, fields: tuple[str, ...]) -> dict[str, Any]:
        """The submitted values of those ``fields`` that this form has."""
        return {name: getattr(self, name).data for name in fields if hasattr(self, name)}

    def uploaded_photo(self) -> bytes | None:
        return self.photo.data.read() if _chosen(self.photo) else None

    def photo_changed(self, profile: ContactProfile) -> bool:
        """A new photo was chosen, or the stored one is to be removed."""
        return _chosen(self.photo) or bool(self.remove_photo.data and profile.has_photo)


class EditorProfileForm(ProfileForm):
    """Editors may also change the name and the administration."""

    name = StringField("Navn", validators=[DataRequired("Skriv navnet.")])
    administration = SelectField("Forvaltning", choices=FILTERS, validate_choice=False)
    email = EmailField("E-mail", validators=[DataRequired("Skriv personens e-mailadresse.")])


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
