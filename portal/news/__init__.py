"""Nyheder from the special unit: drafts, scheduling, the public list and the feed."""

from flask import Flask

from portal import signals
from portal.cli import register_setup_step
from portal.news import demo, digest, services
from portal.news import search as news_search
from portal.news.blueprint import bp
from portal.search import register_source


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_source(app, news_search.SOURCE)
    signals.jobs.connect(services.announce_due_job, app)
    signals.jobs.connect(digest.digest_job, app)  # after announcing: this run's items count
    register_setup_step(app, "Nyheder (demo)", demo.create, order=60, demo_only=True)
