from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


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


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Din arbejdsmail",
        validators=[
            DataRequired("Skriv din e-mailadresse."),
            Length(max=254, message="E-mailadressen er for lang."),
        ],
        render_kw={"autocomplete": "username"},
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (a reset link)."""

    password = PasswordField(
        "Ny adgangskode (mindst 12 tegn)",
        validators=[
            DataRequired("Skriv en adgangskode."),
            Length(max=1024, message="Adgangskoden er for lang."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        "Gentag den nye adgangskode",
        validators=[EqualTo("password", "De to adgangskoder er ikke ens.")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    """A logged-in user's own change: the current password first."""

    current = PasswordField(
        "Nuværende adgangskode",
        validators=[
            DataRequired("Skriv din nuværende adgangskode."),
            Length(max=1024, message="Adgangskoden er for lang."),
        ],
        render_kw={"autocomplete": "current-password"},
    )
