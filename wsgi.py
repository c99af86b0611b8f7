"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import os

from portal import create_app
from portal.auth import checks

app = create_app()
if not os.environ.get("FLASK_RUN_FROM_CLI"):  # a server, not a `flask` command
    checks.before_serving(app)
