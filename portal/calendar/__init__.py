"""Kalender: meetings, series, registration and calendar feeds."""

from flask import Flask

from portal import signals
from portal.calendar import demo, erasure, formatting, hooks
from portal.calendar import search as calendar_search
from portal.calendar.blueprint import bp
from portal.calendar.converters import DayConverter
from portal.cli import register_setup_step
from portal.search import register_source


def init_app(app: Flask) -> None:
    app.url_map.converters["dato"] = DayConverter  # before the blueprint's rules are made
    app.register_blueprint(bp)
    formatting.init_app(app)
    erasure.init_app()
    register_source(app, calendar_search.SOURCE)
    signals.front_page.connect(hooks.front_page, app)
    signals.contact_profile.connect(hooks.organised_section, app)
    signals.personal_data.connect(hooks.personal_data, app)
    register_setup_step(app, "Kalender (demo)", demo.create_demo_events, order=50, demo_only=True)
