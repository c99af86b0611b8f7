"""The container's health check: /readyz on this container's gunicorn, asked for by the host
name of PORTAL_BASE_URL (the portal answers no other Host)."""

import os
import sys
import urllib.request
from urllib.parse import urlsplit

host = urlsplit(os.environ.get("PORTAL_BASE_URL") or "http://localhost").netloc
port = os.environ.get("PORTAL_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
request = urllib.request.Request(f"http://127.0.0.1:{port}/readyz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310  (our own URL)
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(error, file=sys.stderr)
    sys.exit(1)
