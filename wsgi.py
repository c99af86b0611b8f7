"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc
import os
import sys

from portal import create_app, search
from portal.auth import checks
from portal.config import ConfigError

serving = not os.environ.get("FLASK_RUN_FROM_CLI")  # a server, not a `flask` command
try:
    app = create_app()
    if serving:
        checks.before_serving(app)
except ConfigError as error:  # what to fix, not a traceback (flask commands and gunicorn)
    print(f"Portalen kan ikke starte med denne konfiguration:\n{error}", file=sys.stderr)
    raise SystemExit(3) from None  # gunicorn: "Worker failed to boot", and it stops
if serving:
    search.warm()
    # The objects made at start-up (the app, SQLAlchemy's mappers, the Markdown and search
    # machinery) live as long as the process: keep them out of the garbage collector's full
    # collections, which otherwise pause a request for 0.2-0.4 s now and then.
    gc.freeze()
    # A thread that waited (for the database, the client) gets the interpreter back after
    # at most this long while another thread computes (a search, a page being rendered):
    # Python's default of 5 ms is paid again at each wait, so a page behind a search took
    # several times its own time. 1 ms: under the load benchmark pages p95 120-140 against
    # 165-236 ms on PostgreSQL, the same throughput (README, Speed under load).
    sys.setswitchinterval(0.001)
