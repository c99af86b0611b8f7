from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


def login_email(label: str) -> EmailField:
    """The address a person logs in with."""
    return EmailField(
        label,
        validators=[
            DataRequired("Skriv din e-mailadresse."),
            Length(max=254, message="E-mailadressen er for lang."),
        ],
        render_kw={"autocomplete": "username"},
    )


class LoginForm(FlaskForm):
    email = login_email("E-mail")
    password = PasswordField(
        "Adgangskode",
        validators=[
            DataRequired("Skriv din adgangskode."),
            Length(max=1024, message="Adgangskoden er for lang."),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = login_email("Din arbejdsmail")


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
