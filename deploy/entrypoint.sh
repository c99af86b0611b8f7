#!/bin/sh
# The container's commands: `web` (default) upgrades the database, checks the deployment and
# starts gunicorn; `jobs` runs `portal jobs run` every five minutes; anything else is run as is
# (e.g. `flask --app wsgi portal backup /backup/2026-11-29`).
set -eu
cd /srv/portal
case "${1:-web}" in
  web)
    # Metrics of the workers of the previous container are not ours to add up.
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
      mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
      find "$PROMETHEUS_MULTIPROC_DIR" -type f -name '*.db' -delete
    fi
    flask --app wsgi portal setup
    flask --app wsgi portal check --deploy
    exec gunicorn -c gunicorn.conf.py wsgi:app
    ;;
  jobs)
    while :; do
      flask --app wsgi portal jobs run || echo "portal jobs run failed; trying again in 5 minutes" >&2
      sleep 300
    done
    ;;
  *)
    exec "$@"
    ;;
esac
