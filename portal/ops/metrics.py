"""Prometheus metrics at ``/metrics`` (``PORTAL_METRICS=true``), for the monitoring server only.

Open only to the addresses in ``PORTAL_METRICS_ALLOW`` (default: this machine) or to a request
with ``Authorization: Bearer <PORTAL_METRICS_TOKEN>``; everyone else gets a 404, as if there
were nothing there. Request metrics are counted in each process; with several gunicorn workers
set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (gunicorn.conf.py tells the library when
a worker exits) and every scrape adds all workers up.

- ``portal_requests_total{endpoint,method,status}`` and
  ``portal_request_duration_seconds{endpoint}``: every request, by Flask endpoint (never the
  path: no names or ids in labels);
- ``portal_search_duration_seconds{endpoint}``: the search page and the search API;
- ``portal_search_outbox_rows``: changes this server's search index has not applied yet;
  ``portal_search_outbox_lag_seconds``: the age of the oldest change some index has not
  applied (a row stays in the outbox until every server's index has it);
- ``portal_mail_outbox_messages{status}``: mail waiting (pending, sending) and given up (failed).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from portal.config import ConfigError
from portal.db import utcnow
from portal.errors import NotFound
from portal.extensions import db, limiter

log = logging.getLogger(__name__)

SEARCH_ENDPOINTS = frozenset({"search.results", "search.api_search", "search.api_suggest"})
# Pages answer in milliseconds; the buckets reach the worker timeout.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RequestMetrics:
    """The request metrics of one app, in their own registry (tests make many apps)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "portal_requests",
            "Requests answered, by endpoint, method and status",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "portal_request_duration_seconds",
            "Time to answer a request, by endpoint",
            ["endpoint"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.search = Histogram(
            "portal_search_duration_seconds",
            "Time to answer a search, by endpoint",
            ["endpoint"],
            buckets=BUCKETS,
            registry=self.registry,
        )

    def observe(self, facts: dict[str, Any]) -> None:
        endpoint = facts["endpoint"]
        seconds = facts["duration_ms"] / 1000
        self.requests.labels(endpoint, facts["method"], str(facts["status"])).inc()
        self.duration.labels(endpoint).observe(seconds)
        if endpoint in SEARCH_ENDPOINTS:
            self.search.labels(endpoint).observe(seconds)


class OutboxCollector(Collector):
    """The outboxes, read from the database at each scrape (the same for every process)."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from portal.mail.models import MailMessage
        from portal.search import indexing
        from portal.search.models import SearchOutbox

        with self.app.app_context():
            try:
                rows = indexing.pending()
                oldest = db.session.scalar(sa.select(sa.func.min(SearchOutbox.created_at)))
                by_status = dict(
                    db.session.execute(
                        sa.select(MailMessage.status, sa.func.count())
                        .where(MailMessage.status != "sent")
                        .group_by(MailMessage.status)
                    ).all()
                )
            except sa.exc.SQLAlchemyError:
                log.warning("The outboxes could not be read for /metrics", exc_info=True)
                return
            finally:
                db.session.rollback()
        lag = (utcnow() - _aware(oldest)).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "portal_search_outbox_rows", "Changes not yet applied to this server's index", rows
        )
        yield GaugeMetricFamily(
            "portal_search_outbox_lag_seconds",
            "Age of the oldest change some server's index has not applied yet",
            max(lag, 0.0),
        )
        mail = GaugeMetricFamily(
            "portal_mail_outbox_messages", "Mail not sent, by status", labels=["status"]
        )
        for status in ("pending", "sending", "failed"):
            mail.add_metric([status], by_status.get(status, 0))
        yield mail


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def allowed() -> bool:
    """From a configured address, or with the configured bearer token."""
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.extensions["portal_metrics_allow"])


@limiter.exempt
def metrics() -> Response:
    if not allowed():
        raise NotFound()
    state = current_app.extensions["portal_metrics"]
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = state.registry
    body = generate_latest(registry) + generate_latest(state.outboxes)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> RequestMetrics:
    state = RequestMetrics()
    state.outboxes = CollectorRegistry()  # type: ignore[attr-defined]
    state.outboxes.register(OutboxCollector(app))  # type: ignore[attr-defined]
    app.extensions["portal_metrics"] = state
    try:
        app.extensions["portal_metrics_allow"] = [
            ipaddress.ip_network(a, strict=False) for a in app.config["METRICS_ALLOW"]
        ]
    except ValueError as exc:
        raise ConfigError(
            f"PORTAL_METRICS_ALLOW skal være adresser eller net som 10.0.0.0/8: {exc}"
        ) from exc
    app.add_url_rule("/metrics", "ops.metrics", metrics, methods=["GET"])
    return state
