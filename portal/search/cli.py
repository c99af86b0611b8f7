"""``flask --app wsgi portal search ...``."""

import click
from flask.cli import AppGroup, with_appcontext

from portal.cli import unit_of_work
from portal.search import consumers, indexing
from portal.timeutil import local
from portal.transaction import transaction

search_cli = AppGroup("search", help="Søgeindekset.")


@search_cli.command("rebuild")
def rebuild() -> None:
    """Byg søgeindekset forfra fra databasen."""
    total = indexing.count_all()
    with click.progressbar(length=total, label="Bygger søgeindeks") as bar:
        count = indexing.rebuild(progress=bar.update)
    click.echo(f"Søgeindeks: {count} dokumenter.")


@search_cli.command("sync")
def sync() -> None:
    """Anvend ventende ændringer (udbakken) på søgeindekset."""
    rebuilt = indexing.rebuild_if_unusable()
    if rebuilt is not None:
        click.echo(f"Søgeindekset kunne ikke bruges og er bygget forfra: {rebuilt} dokumenter.")
    applied = indexing.apply_pending(limit=100_000)
    click.echo(f"Søgeindeks: {applied} ændringer anvendt.")
    waiting = indexing.pending()
    if waiting:
        raise click.ClickException(
            f"{waiting} ændringer venter stadig: søgeindekset er låst eller kan ikke skrives. "
            "Prøv igen om lidt."
        )


@search_cli.command("indexes")
@with_appcontext
def indexes() -> None:
    """Vis søgeindeksene, der bruger udbakken (et pr. server med Whoosh)."""
    mine, forgotten = consumers.index_name(), consumers.forget_before()
    with transaction():
        listed = consumers.overview()
    for name, seen, waiting in listed:
        notes = [f"{waiting} ændring{'er' if waiting != 1 else ''} mangler"]
        notes += ["denne server"] if name == mine else []
        notes += ["glemt: holder intet tilbage"] if seen < forgotten else []
        when = "glemt med forget" if seen <= consumers.LONG_AGO else f"{local(seen):%d.%m.%Y %H.%M}"
        click.echo(f"{name}  sidst set {when}  ({', '.join(notes)})")


@search_cli.command("forget")
@click.argument("name")
@with_appcontext
def forget(name: str) -> None:
    """Glem et søgeindeks, der er væk (en nedlagt server): det holder ikke længere ændringer
    tilbage i udbakken. Kommer det igen, bygges det forfra."""
    if name == consumers.index_name():
        raise click.ClickException(f"{name} er denne servers eget søgeindeks; det glemmes ikke.")
    with unit_of_work():
        if not consumers.forget(name):
            raise click.ClickException(
                f"Intet søgeindeks hedder {name!r}. Se flask --app wsgi portal search indexes."
            )
    click.echo(f"Søgeindekset {name} er glemt; udbakken venter ikke længere på det.")


@search_cli.command("check")
def check() -> None:
    """Sammenlign databasen med søgeindekset og rapportér forskelle."""
    report = indexing.check()
    if report.error:
        click.echo(f"Indekset kan ikke læses: {report.error}")
    labelled = [
        ("mangler i indekset", report.missing),
        ("findes ikke længere", report.extra),
        ("forældet i indekset", report.stale),
    ]
    for label, items in labelled:
        click.echo(f"{label}: {len(items)}")
        for item in items[:20]:
            click.echo(f"  {item}")
    click.echo(f"ventende ændringer: {report.pending}")
    if not report.ok:
        raise click.ClickException("Søgeindekset er ikke i takt med databasen.")
    click.echo("Søgeindekset er i takt med databasen.")


def setup_step() -> str:
    return f"{indexing.rebuild()} dokumenter"
