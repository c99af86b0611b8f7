"""``flask --app wsgi portal check [--deploy]``, ``backup DIR`` and ``restore DIR``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from portal.auth import checks
from portal.ops import deploy as deployment


@click.command("check")
@click.option(
    "--deploy",
    is_flag=True,
    help="Tjek også indstillingerne til drift: debug, nøgle, cookies, adresse, database, grænser.",
)
@with_appcontext
def check_command(deploy: bool) -> None:
    """Tjek installationen før drift (fx demobrugere i databasen)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = deployment.problems(app) if deploy else []
    try:
        found += checks.problems(app)
    except sa.exc.SQLAlchemyError as error:
        found.append(f"Databasen kan ikke læses: {type(error).__name__}.")
    for problem in found:
        click.echo(f"Problem: {problem}")
    if found:
        raise click.ClickException(
            f"Installationen er ikke klar til drift ({len(found)} problem"
            f"{'er' if len(found) != 1 else ''})."
        )
    click.echo("Ingen problemer fundet.")
