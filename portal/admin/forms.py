from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from portal.security import ROLE_LABELS

ROLE_CHOICES = {role.value: label for role, label in ROLE_LABELS.items()}


class CreateUserForm(FlaskForm):
    name = StringField(
        "Navn",
        validators=[DataRequired("Skriv navnet."), Length(max=200, message="Højst 200 tegn.")],
    )
    email = EmailField(
        "E-mail (brugernavn)",
        validators=[
            DataRequired("Skriv e-mailadressen."),
            Length(max=254, message="E-mailadressen er for lang."),
        ],
    )
    role = SelectField("Rolle", choices=ROLE_CHOICES, default="staff")


class RoleForm(FlaskForm):
    role = SelectField("Rolle", choices=ROLE_CHOICES)
    # "ja" only from the confirmation page that demoting oneself shows.
    confirm = HiddenField()
