"""Running the portal: the deployment check, backup and restore."""

from flask import Flask

from portal.cli import add_command
from portal.ops import cli


def init_app(app: Flask) -> None:
    add_command(app, cli.check_command)
    add_command(app, cli.backup_command)
    add_command(app, cli.restore_command)
