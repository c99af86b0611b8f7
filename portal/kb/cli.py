"""``flask --app wsgi portal content ...``."""

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.cli import unit_of_work
from portal.kb import export as content_export
from portal.kb import sync as content_sync

content_cli = AppGroup("content", help="Vejviser og sagsgange fra content/.")


@content_cli.command("sync")
@click.option("--verbose", "-v", is_flag=True, help="Vis hver ændret side.")
def sync(verbose: bool) -> None:
    """Indlæs indholdsfilerne i databasen (kun ændrede filer)."""
    with unit_of_work():
        report = content_sync.sync_content()
    click.echo(f"Indhold: {report.summary()}.")
    for slug in report.conflicts:
        click.echo(
            f"  konflikt: {slug} er rettet i browseren, siden filen sidst blev indlæst; "
            "filen er ikke indlæst (eksportér siden, flet ændringerne, og synkronisér igen)",
            err=True,
        )
    if verbose:
        for label, slugs in [
            ("ny", report.created),
            ("opdateret", report.updated),
            ("afpubliceret", report.unpublished),
        ]:
            for slug in slugs:
                click.echo(f"  {label}: {slug}")


@content_cli.command("export")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def export(target: Path) -> None:
    """Skriv alle udgivne sider og ordlisten som Markdown-filer i TARGET."""
    with unit_of_work():
        written = content_export.export(target)
    click.echo(f"Eksporteret: {len(written)} filer til {target}.")


def setup_step() -> str:
    return content_sync.sync_content().summary()
