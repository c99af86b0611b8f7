"""``flask --app wsgi portal ...``: thin wrappers over service functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from portal.config import is_production
from portal.errors import PortalError
from portal.extensions import db

portal_cli = AppGroup("portal", help="BIF-SOF Portalen: opsætning og drift.")


@dataclass(frozen=True)
class SetupStep:
    name: str
    run: Callable[[], str | None]  # returns a line for the report
    order: int
    demo_only: bool = False


def register_setup_step(
    app: Flask, name: str, run: Callable[[], str | None], order: int, demo_only: bool = False
) -> None:
    """Features call this from their ``init_app`` to join ``portal setup``."""
    app.extensions.setdefault("portal_setup_steps", []).append(
        SetupStep(name, run, order, demo_only)
    )


def setup_steps(app: Flask, demo: bool) -> list[SetupStep]:
    steps = app.extensions.get("portal_setup_steps", [])
    return sorted((s for s in steps if demo or not s.demo_only), key=lambda s: s.order)


def fail(error: PortalError) -> None:
    """Roll back and stop the command with the error's Danish message."""
    db.session.rollback()
    raise click.ClickException(error.message)


@portal_cli.command("setup")
@click.option("--demo", is_flag=True, help="Opret også demodata og demologins.")
def setup_command(demo: bool) -> None:
    """Opgrader databasen og kør funktionernes opsætningstrin."""
    if demo and is_production(current_app.config):
        raise click.ClickException("Demodata må ikke oprettes i produktion.")
    upgrade()
    click.echo("Database: opgraderet til nyeste version.")
    for step in setup_steps(current_app, demo):
        try:
            report = step.run()
            db.session.commit()
        except PortalError as error:
            fail(error)
        click.echo(f"{step.name}: {report or 'færdig'}")


def init_app(app: Flask) -> None:
    app.cli.add_command(portal_cli)
