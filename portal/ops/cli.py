"""``flask --app wsgi portal check [--deploy]``, ``backup DIR`` and ``restore DIR``."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from portal.auth import checks
from portal.extensions import db
from portal.ops import backup, restore
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
    warned = deployment.warnings(app) if deploy else []
    try:
        found += checks.problems(app)
        warned += checks.warnings(app)
    except sa.exc.SQLAlchemyError as error:
        found.append(_database_problem(error))
    for warning in warned:
        click.echo(f"Advarsel: {warning}")
    for problem in found:
        click.echo(f"Problem: {problem}")
    if found:
        raise click.ClickException(
            f"Installationen er ikke klar til drift ({len(found)} problem"
            f"{'er' if len(found) != 1 else ''})."
        )
    click.echo("Ingen problemer fundet.")


def _database_problem(error: sa.exc.SQLAlchemyError) -> str:
    """Which database, and what to do: set it up, or make it reachable."""
    shown = db.engine.url.render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).strip()
    if isinstance(error, sa.exc.ProgrammingError) or reason.startswith("no such table"):
        return f"Databasen {shown} har ikke portalens tabeller: kør flask --app wsgi portal setup."
    first = reason.splitlines()[0] if reason else type(error).__name__
    return f"Databasen {shown} kan ikke nås eller læses ({first}). Tjek PORTAL_DATABASE_URL."


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@click.command("backup")
@click.argument("directory", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    """Tag en sikkerhedskopi af databasen (med profilfotos) i en ny eller tom mappe."""
    try:
        manifest = backup.take(directory)
    except backup.BackupError as error:
        raise click.ClickException(error.message) from error
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(
        f"Sikkerhedskopi gemt i {directory}: {len(manifest['tables'])} tabeller, "
        f"{_number(rows)} rækker, {_number(manifest['photos'])} profilfotos."
    )
    click.echo(f"Kontrolsum: {manifest['checksum']}")


@click.command("restore")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Erstat en database, der allerede har data.")
@with_appcontext
def restore_command(directory: Path, force: bool) -> None:
    """Genskab databasen fra en sikkerhedskopi, og tjek at den er hel."""
    try:
        restored = restore.restore(directory, force=force)
    except backup.BackupError as error:
        raise click.ClickException(error.message) from error
    manifest = restored.manifest
    click.echo(
        f"Databasen er genskabt fra kopien af {manifest['created_at']}: "
        f"{len(manifest['tables'])} tabeller og {_number(restored.rows)} rækker stemmer med "
        "manifestet (antal og kontrolsum)."
    )
    for table in restored.leftovers:
        click.echo(f"Bemærk: tabellen {table} findes ikke i kopien og er ikke rørt.")
    click.echo(
        "Kør nu `flask --app wsgi portal setup` (opgraderer databasen, hvis kopien er ældre) og "
        "`flask --app wsgi portal search rebuild`."
    )
