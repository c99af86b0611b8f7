"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc
import os

from portal import create_app, search
from portal.auth import checks

app = create_app()
if not os.environ.get("FLASK_RUN_FROM_CLI"):  # a server, not a `flask` command
    checks.before_serving(app)
    search.warm()
    # The objects made at start-up (the app, SQLAlchemy's mappers, the Markdown and search
    # machinery) live as long as the process: keep them out of the garbage collector's full
    # collections, which otherwise pause a request for 0.2-0.4 s now and then.
    gc.freeze()
