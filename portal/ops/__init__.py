"""Running the portal: the deployment check, backup and restore, request logs and metrics."""

from flask import Flask

from portal.cli import add_command
from portal.ops import cli, metrics, observe


def init_app(app: Flask) -> None:
    add_command(app, cli.check_command)
    add_command(app, cli.backup_command)
    add_command(app, cli.restore_command)
    observers = [metrics.init_app(app).observe] if app.config["METRICS"] else []
    observe.init_app(app, observers)
