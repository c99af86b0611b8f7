"""Redaktion: the editors' overview, front page shortcuts and visit counts."""

from flask import Flask

from portal import signals
from portal.editor import review_mail, visits
from portal.editor.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    visits.init_app(app)
    signals.page_viewed.connect(visits.count_visit, app)
    signals.jobs.connect(review_mail.review_job, app)
