"""``flask --app wsgi portal user ...`` and the demo logins."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.auth import services
from portal.cli import unit_of_work

user_cli = AppGroup("user", help="Brugere.")

# Fictional demo logins, created only by ``portal setup --demo`` (refused in production).
DEMO_USERS = [
    ("medarbejder@example.com", "Demo Medarbejder", "staff", "demo-medarbejder"),
    ("kontakt@example.com", "Demo Kontaktperson", "contact", "demo-kontaktperson"),
    ("redaktoer@example.com", "Demo Redaktør", "editor", "demo-redaktoer-1"),
    ("admin@example.com", "Demo Administrator", "admin", "demo-administrator"),
]


def create_demo_users() -> str:
    created = 0
    for email, name, role, password in DEMO_USERS:
        if services.get_by_email(email) is None:
            services.create_user(email, name, role, password, is_demo=True)
            created += 1
    logins = "\n".join(f"    {role:<8} {email}  /  {pw}" for email, _, role, pw in DEMO_USERS)
    return f"{created} oprettet. Demologins (kun til afprøvning):\n{logins}"


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["staff", "contact", "editor", "admin"]))
@click.password_option("--password", prompt="Adgangskode", confirmation_prompt="Gentag")
def user_create(email: str, name: str, role: str, password: str) -> None:
    """Opret en bruger (adgangskoden spørges der om)."""
    with unit_of_work():
        user = services.create_user(email, name, role, password)
    click.echo(f"Oprettet: {user.email} ({user.role}).")


@user_cli.command("deactivate")
@click.argument("email")
def user_deactivate(email: str) -> None:
    """Deaktivér en bruger og afslut alle brugerens sessioner."""
    with unit_of_work():
        user = services.get_by_email(email)
        if user is None:
            raise click.ClickException(f"Ingen bruger med e-mailen {email}.")
        services.deactivate_user(user)
    click.echo(f"Deaktiveret: {user.email}. Alle sessioner er afsluttet.")
