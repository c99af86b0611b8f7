"""gunicorn settings for BIF-SOF Portalen.

    gunicorn -c gunicorn.conf.py wsgi:app      # gunicorn reads ./gunicorn.conf.py by default too

Sizing (portal/sizing.py; the app sizes its PostgreSQL pool from the same variables):
``PORTAL_WORKERS`` processes (default two per core, 2-12) of ``PORTAL_THREADS`` threads (default
4). Threads suit the portal: much of a request is waiting for the database, and a thread costs
far less memory than a process. More servers than one need PostgreSQL and Redis
(``portal check --deploy`` says so).

Reload without losing requests: ``kill -HUP <master>`` (``systemctl reload``) starts new workers
with the new code, then lets the old ones finish what they are doing (``graceful_timeout``)
before they exit. The app is therefore not preloaded in the master: each worker loads it, so a
reload picks up a new release. ``wsgi.py`` freezes the start-up objects out of the garbage
collector in each worker.

The access log holds no personal data: no client address, no user, no query string (a search
for a name stays out of it), no referrer or user agent; the portal's redaction filter removes
one-time link tokens from the path as well.
"""

import os
import sys

from portal import sizing

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
try:
    workers = sizing.workers()
    threads = sizing.threads()
except sizing.SizingError as error:  # what to fix, not a traceback
    sys.exit(f"Portalen kan ikke starte med denne konfiguration:\n{error}")
worker_class = "gthread"

# A worker that has not reported for `timeout` seconds is killed and replaced (a request stuck
# that long is broken; search has a time budget of 0.25 s and the database a connect timeout).
timeout = 30
# On reload or stop, requests in flight get this long to finish.
graceful_timeout = 30
# Connections from the reverse proxy are kept open between requests.
keepalive = 5
# Recycle each worker after a number of requests (with jitter, so they do not all restart at
# once): bounds slow memory growth without a visible pause. A new worker loads the app (about
# 2 s of CPU) and starts with an empty page cache, so not too often: at 5,000 a worker under
# the load benchmark's 1,000 requests/s restarted every 20 s and cost a fifth of the
# throughput; at 50,000 a worker lives for hours of an ordinary day.
max_requests = 50000
max_requests_jitter = 5000
# The heartbeat file on a RAM disk: a container's overlay disk can block it for seconds.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
preload_app = False
# Reloads and stops go through signals (systemd's ExecReload, kill -HUP): no control socket in
# the service user's home, where two instances on one host would share it.
control_socket_disable = True

# Logs to standard output and error (journald or the container runtime collects them).
# With PORTAL_LOG_JSON=true the app writes one JSON line per request itself (portal/ops/
# observe.py), so gunicorn's text access log is off.
accesslog = (
    None
    if os.environ.get("PORTAL_LOG_JSON", "").lower() in ("1", "true", "yes", "on", "ja")
    else "-"
)
errorlog = "-"
loglevel = "info"
# time, method, path without the query, protocol, status, bytes, milliseconds
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# The reverse proxy on this host may say the request came over HTTPS (the app's ProxyFix reads
# the client address, with PORTAL_PROXY_FIX).
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Before the first worker: ``PROMETHEUS_MULTIPROC_DIR`` exists (``/run`` is emptied at
    every boot, and without it every request failed) and holds no files of the workers before
    a restart (their counts would be added to the new ones')."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def post_worker_init(worker):
    """A worker has loaded the portal and takes requests from now on (a worker loads it in
    seconds: until then the ones already loaded answer alone, e.g. during a reload)."""
    worker.log.info("Worker %s has loaded the portal", worker.pid)


def child_exit(server, worker):
    """A worker has exited: with Prometheus metrics across workers (``PROMETHEUS_MULTIPROC_DIR``),
    its live gauges are dropped; its counters and histograms stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
