"""``flask --app wsgi portal ...``: thin wrappers over service functions.

The ``portal`` group belongs to the app; features add their commands and setup steps from their
``init_app``. Every command that changes data runs in ``unit_of_work()``: one commit at the end,
or a rollback and the error's Danish message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from portal import signals
from portal.config import is_production
from portal.errors import PortalError
from portal.transaction import transaction


@dataclass(frozen=True)
class SetupStep:
    name: str
    run: Callable[[], str | None]  # returns a line for the report
    order: int
    demo_only: bool = False


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit once when the block ends; on a domain error roll back and stop with its message."""
    try:
        with transaction():
            yield
    except PortalError as error:
        raise click.ClickException(error.message) from error


def add_command(app: Flask, command: click.Command) -> None:
    """Features call this from their ``init_app`` to add a command under ``portal``."""
    app.extensions["portal_cli"].add_command(command)


def register_setup_step(
    app: Flask, name: str, run: Callable[[], str | None], order: int, demo_only: bool = False
) -> None:
    """Features call this from their ``init_app`` to join ``portal setup``."""
    app.extensions["portal_setup_steps"].append(SetupStep(name, run, order, demo_only))


def setup_steps(app: Flask, demo: bool) -> list[SetupStep]:
    steps = app.extensions["portal_setup_steps"]
    return sorted((s for s in steps if demo or not s.demo_only), key=lambda s: s.order)


@click.command("setup")
@click.option("--demo", is_flag=True, help="Opret også demodata og demologins.")
@with_appcontext
def setup_command(demo: bool) -> None:
    """Opgrader databasen og kør funktionernes opsætningstrin."""
    if demo and is_production(current_app.config):
        raise click.ClickException("Demodata må ikke oprettes i produktion.")
    upgrade()
    click.echo("Database: opgraderet til nyeste version.")
    for step in setup_steps(current_app, demo):
        with unit_of_work():
            report = step.run()
        click.echo(f"{step.name}: {report or 'færdig'}")


jobs_cli = AppGroup("jobs", help="Tidsstyrede opgaver (til cron eller en systemd-timer).")


@jobs_cli.command("run")
def run_jobs() -> None:
    """Kør alle opgaver, der er forfaldne. Kan køres så tit, man vil."""
    with unit_of_work():
        lines = signals.collect(signals.jobs)
    click.echo("\n".join(lines) if lines else "Ingen opgaver var forfaldne.")


def init_app(app: Flask) -> None:
    group = AppGroup("portal", help="BIF-SOF Portalen: opsætning og drift.")
    group.add_command(setup_command)
    group.add_command(jobs_cli)
    app.extensions["portal_cli"] = group
    app.extensions["portal_setup_steps"] = []
    app.cli.add_command(group)
