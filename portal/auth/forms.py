from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired("Skriv din e-mailadresse."),
            Length(max=254, message="E-mailadressen er for lang."),
        ],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Adgangskode",
        validators=[
            DataRequired("Skriv din adgangskode."),
            Length(max=1024, message="Adgangskoden er for lang."),
        ],
        render_kw={"autocomplete": "current-password"},
    )
