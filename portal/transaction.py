"""The one transaction boundary: a request or a CLI command commits once, or rolls back.

A request commits after its view returned a response below 400; any exception, any domain
error turned into a 4xx and any abort rolls back. Work that must not share the request's
transaction runs after it has ended: ``signals.committed`` receivers (search indexing) in a
fresh app context, so in their own session, and ``after_response`` callbacks (visit counts,
the query log) in a short transaction of their own that may fail without touching the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.wrappers import Response

from portal import signals
from portal.db import writing
from portal.extensions import db

log = logging.getLogger(__name__)


WROTE = "portal_wrote"  # session.info: this transaction flushed or sent a write statement


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def _wrote(session: Session) -> bool:
    return bool(session.info.pop(WROTE, False) or session.new or session.dirty or session.deleted)


def commit() -> None:
    """Commit the session's transaction, then run the after-commit work that it announced in
    ``session.info`` (``signals.committed``). Only the boundaries below call this.

    A transaction that only read keeps its objects as they are (no expiry): otherwise the
    logged-in user, read again by the security headers after the commit, costs every page a
    second transaction and query."""
    session = db.session()
    if not (
        session.in_transaction() or session.info or session.new or session.dirty or session.deleted
    ):
        return  # nothing began (a page from the cache): nothing to commit or announce
    session.expire_on_commit = _wrote(session)
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
        session.info.pop(WROTE, None)  # set again by the flush inside commit()
    if not session.info:
        return  # the after-commit work is announced there (search, mail): none to do
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():  # a new app context is a new session
        signals.committed.send(app, session=session)


def rollback() -> None:
    db.session.rollback()
    db.session().info.pop(WROTE, None)


def end_read() -> None:
    """End a transaction that has only read, so that work in another session can start (on
    SQLite every transaction holds the write lock until it ends)."""
    if has_request_context() and request.method not in ("GET", "HEAD"):
        raise RuntimeError("end_read() would discard a request's changes")
    db.session.rollback()


@contextmanager
def transaction(writes: bool = True) -> Iterator[None]:
    """Outside the request boundary (CLI commands, jobs, the indexer, after-response work):
    commit when the block ends normally, else roll back. Its transaction may write, also
    after a GET (``db.writing``); with ``writes`` false it only reads, also after a POST."""
    with writing(writes):
        try:
            yield
        except BaseException:
            rollback()
            raise
        commit()


def after_response(callback: Callable[[], Any]) -> None:
    """Run ``callback`` after this request's transaction, in a short transaction of its own.
    It runs only when the request succeeded; a failure is logged and never reaches the user."""
    if has_request_context():
        g.setdefault("after_response", []).append(callback)


def _run_after_response() -> None:
    for callback in g.pop("after_response", []):
        try:
            with transaction():
                callback()
        except Exception:
            log.warning("After-response work %r failed", callback, exc_info=True)


class Portal(Flask):
    """Flask with the request boundary around the view (Indico's ``RH.process``)."""

    def dispatch_request(self) -> Response:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            rollback()
            raise
        if response.status_code >= 400:
            rollback()
            return response
        commit()
        _run_after_response()
        return response
