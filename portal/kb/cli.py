"""``flask --app wsgi portal content ...``."""

import click
from flask.cli import AppGroup

from portal.cli import fail
from portal.errors import PortalError
from portal.extensions import db
from portal.kb import services

content_cli = AppGroup("content", help="Vejviser og sagsgange fra content/.")


@content_cli.command("sync")
@click.option("--verbose", "-v", is_flag=True, help="Vis hver ændret side.")
def sync(verbose: bool) -> None:
    """Indlæs indholdsfilerne i databasen (kun ændrede filer)."""
    try:
        report = services.sync_content()
        db.session.commit()
    except PortalError as error:
        fail(error)
    click.echo(f"Indhold: {report.summary()}.")
    if verbose:
        for label, slugs in [
            ("ny", report.created),
            ("opdateret", report.updated),
            ("afpubliceret", report.unpublished),
        ]:
            for slug in slugs:
                click.echo(f"  {label}: {slug}")
