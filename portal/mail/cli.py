"""``flask --app wsgi portal mail ...``."""

import click
from flask.cli import AppGroup

from portal.mail import delivery

mail_cli = AppGroup("mail", help="E-mail fra portalen.")


@mail_cli.command("send")
def send_command() -> None:
    """Send de breve, der er forfaldne (også genforsøg). Kan køres så tit, man vil."""
    outcome = delivery.deliver_due(limit=1000)
    click.echo(
        f"Sendt: {outcome['sent']}, prøves igen senere: {outcome['retry']}, "
        f"fejlet: {outcome['failed']}."
    )
