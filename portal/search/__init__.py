"""Search behind a handful of functions; nothing outside this package imports whoosh.

Features call ``register_source`` and ``register_synonyms`` from their ``init_app``. Changes
reach the index through the outbox (a flush hook), applied after each commit
(``signals.committed``) in the indexer's own session.
"""

from flask import Flask

from portal import batches, signals
from portal.cli import add_command, register_setup_step
from portal.search import cli, engine, indexing, lexicon, querylog, registry
from portal.search.blueprint import bp
from portal.search.indexing import apply_pending, check, rebuild
from portal.search.postgres.engine import PostgresEngine
from portal.search.registry import (
    SearchDocument,
    Source,
    every_word_in,
    register_source,
    register_synonyms,
)
from portal.search.services import matching_keys, search, suggest, synonym_groups
from portal.search.whoosh_engine import WhooshEngine

__all__ = [
    "SearchDocument",
    "Source",
    "apply_pending",
    "check",
    "every_word_in",
    "init_app",
    "make_engine",
    "matching_keys",
    "rebuild",
    "register_source",
    "register_synonyms",
    "search",
    "suggest",
    "synonym_groups",
    "warm",
]


def make_engine(app: Flask) -> engine.Engine:
    """The engine ``app``'s configuration asks for (``engine.configured``)."""
    if engine.configured(app.config) == "postgresql":
        return PostgresEngine()
    return WhooshEngine()


def warm() -> None:
    """Load in a server's start what a first search would (the compound dictionary, 0.35 s)."""
    lexicon.dictionary()


def init_app(app: Flask) -> None:
    registry.init_app(app)
    app.extensions["portal_search_engine"] = make_engine(app)
    batches.register(app, querylog.LOG, querylog.write_log)
    app.register_blueprint(bp)
    signals.committed.connect(indexing.on_commit, app)
    app.teardown_appcontext(indexing.on_teardown)
    signals.jobs.connect(indexing.maintain_job, app)
    add_command(app, cli.search_cli)
    # Last: it counts what every other step made (the demo people too).
    register_setup_step(app, "Søgeindeks", cli.setup_step, order=100)
