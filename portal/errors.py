"""Domain exceptions and the one place that turns errors into HTTP responses."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from portal import audit
from portal.extensions import db, limiter
from portal.transaction import rollback, transaction

log = logging.getLogger(__name__)


class PortalError(Exception):
    """Base for errors a user can be told about in Danish."""

    status = 400
    message = "Der gik noget galt."

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.headers: dict[str, str] = {}  # for the answer (Retry-After)


class ValidationError(PortalError):
    status = 400
    message = "Oplysningerne er ikke gyldige."


class FieldErrors(ValidationError):
    """Field name -> Danish message, for a form to show next to each field."""

    message = "Tjek de markerede felter."

    def __init__(self, errors: dict[str, str], message: str | None = None):
        super().__init__(message)
        self.errors = errors


class Forbidden(PortalError):
    status = 403
    message = "Du har ikke adgang til denne side."


class NotFound(PortalError):
    status = 404
    message = "Siden findes ikke."


class Conflict(PortalError):
    status = 409
    message = "Nogen har ændret dette, mens du arbejdede. Se ændringerne og prøv igen."


def check_version(obj, expected: int | None, noun: str) -> None:
    """The optimistic check of every edit form: ``noun`` is the thing, capitalised ("Profilen").

    :raises Conflict: if ``obj`` was saved after the form carrying ``expected`` was opened, or
        the form carried no version.
    """
    if expected is None or expected != obj.version:
        raise Conflict(_stale(noun))


def _stale(noun: str) -> str:
    return (
        f"{noun} er blevet ændret af en anden, siden du åbnede formularen. Dine ændringer er "
        "ikke gemt; de står stadig i formularen. Tjek dem mod den nye version, og gem igen."
    )


@contextmanager
def one_save_wins(noun: str) -> Iterator[None]:
    """Change a versioned thing inside; it is flushed at the end. ``check_version`` compares
    in Python, so two saves at the same version can both pass it; the mapper's
    ``version_id_col`` makes the UPDATE expect the loaded version, so the later one matches no
    row (on PostgreSQL it waits for the first to commit) and SQLAlchemy raises StaleDataError,
    however the flush was reached: that is the edit form's conflict.

    :raises Conflict: with ``check_version``'s message.
    """
    try:
        yield
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict(_stale(noun)) from exc


class TooManyAttempts(PortalError):
    status = 429
    message = "For mange forsøg. Vent lidt, og prøv igen."

    def __init__(self, message: str | None = None, wait: timedelta | None = None):
        super().__init__(message)
        # Retry-After (RFC 9110), for the answer: whole seconds, at least 1.
        seconds = max(1, math.ceil(wait.total_seconds())) if wait else None
        self.headers = {"Retry-After": str(seconds)} if seconds else {}


# Danish titles and explanations for the status codes a user can meet.
PAGES = {
    400: ("Forkert forespørgsel", "Forespørgslen kunne ikke behandles. Gå tilbage og prøv igen."),
    403: ("Ingen adgang", "Du har ikke adgang til denne side."),
    404: ("Siden findes ikke", "Vi kan ikke finde siden. Måske er den flyttet eller slettet."),
    405: ("Handlingen er ikke tilladt", "Siden kan ikke bruges på den måde."),
    409: ("Konflikt", "Nogen har ændret dette, mens du arbejdede."),
    413: ("For stor forespørgsel", "Det, du sendte, er for stort. Prøv med en mindre fil."),
    429: ("For mange forsøg", "Du har prøvet for mange gange. Vent lidt, og prøv igen."),
    500: ("Der opstod en fejl", "Portalen kunne ikke vise siden. Fejlen er logget. Prøv igen."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in {"/healthz", "/readyz"}


def render_error(status: int, message: str | None = None):
    title, default_message = PAGES.get(status, PAGES[500 if status >= 500 else 400])
    text = message or default_message
    if _wants_json():
        return jsonify({"error": title, "message": text, "status": status}), status
    if request_ctx.url_adapter is None:  # an untrusted Host: no links can be built
        return Response(f"{title}. {text}", mimetype="text/plain"), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


def handle_portal_error(error: PortalError):
    if isinstance(error, Forbidden):
        _audit_refusal()
    body, status = render_error(error.status, error.message)
    return body, status, error.headers


def _audit_refusal() -> None:
    """A refused authorisation goes in the audit trail, in a transaction of its own (the
    request's was rolled back). A failure to record it never hides the 403."""
    try:
        with transaction():
            user = current_user if current_user.is_authenticated else None
            audit.record(
                user, "forbidden", "route", request.path[:60], "method", None, request.method
            )
    except Exception:
        log.warning("Could not audit a refused request", exc_info=True)


def handle_http_exception(error: HTTPException):
    response = render_error(error.code or 500)
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        body, status = response
        return body, status, {"Allow": ", ".join(error.valid_methods)}
    if error.code == 429 and (limit := limiter.current_limit) is not None:
        # When to try again (RFC 9110), on the refusal only: Flask-Limiter's own headers
        # would put one on every answer of a limited form, and over the login throttle's.
        body, status = response
        return body, status, {"Retry-After": str(max(1, math.ceil(limit.reset_at - time.time())))}
    return response


def handle_csrf_error(error: CSRFError):
    return render_error(
        400, "Formularen er udløbet eller mangler sit sikkerhedsfelt. Genindlæs siden og prøv igen."
    )


def handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    rollback()  # an error outside the view (a hook): the error page needs a usable session
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(PortalError, handle_portal_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
