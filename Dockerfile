# BIF-SOF Portalen: the web server (gunicorn) and, with another command, the jobs.
# Build: docker build -t portal .      Run with PostgreSQL and Redis: compose.yaml (README "Drift").
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_ENV=production \
    PORTAL_BIND=0.0.0.0:8000 \
    PORTAL_SEARCH_INDEX_DIR=/var/lib/portal/search_index \
    PROMETHEUS_MULTIPROC_DIR=/run/portal/metrics

# xmlsec1: SAML signatures (pysaml2). postgresql-client: pg_dump/pg_restore for `portal backup`
# (Debian bookworm's is version 15: run PostgreSQL 15, or install the server's major version).
RUN apt-get update \
    && apt-get install -y --no-install-recommends xmlsec1 postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /srv/portal --shell /usr/sbin/nologin portal

WORKDIR /srv/portal
# The dependencies first (a layer that changes only with pyproject.toml), then the code. The
# package is installed editable: the portal finds its migrations and content next to it.
COPY pyproject.toml ./
RUN mkdir portal && touch portal/__init__.py && pip install -e . && rm -rf portal
COPY portal ./portal
COPY migrations ./migrations
COPY content ./content
COPY wsgi.py gunicorn.conf.py ./
COPY deploy/entrypoint.sh /usr/local/bin/portal-entrypoint
COPY deploy/healthcheck.py ./deploy/
RUN pip install --no-deps -e . \
    && mkdir -p instance /var/lib/portal/search_index /run/portal/metrics \
    && chown -R portal:portal instance /var/lib/portal /run/portal

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["portal-entrypoint"]
CMD ["web"]
