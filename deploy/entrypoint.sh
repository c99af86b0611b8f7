#!/bin/sh
# The container's commands: `web` (default) upgrades the database, checks the deployment and
# starts gunicorn; `serve` does the same without the upgrade (a second web container: one
# upgrades the database); `jobs` runs `portal jobs run` every five minutes; anything else is
# run as is (e.g. `flask --app wsgi portal backup /backup/2026-11-29`). gunicorn makes and
# empties PROMETHEUS_MULTIPROC_DIR itself (gunicorn.conf.py).
set -eu
cd /srv/portal
case "${1:-web}" in
  web|serve)
    if [ "${1:-web}" = web ]; then
      flask --app wsgi portal setup
    fi
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
