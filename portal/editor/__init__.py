"""Redaktion: the editors' overview, front page shortcuts and visit counts."""

from flask import Flask

from portal import signals
from portal.editor import review_mail, services
from portal.editor.blueprint import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    signals.page_viewed.connect(services.count_visit, app)
    signals.jobs.connect(review_mail.review_job, app)
