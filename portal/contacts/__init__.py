"""Kontaktpersoner: the directory and the contact persons' self-service profiles."""

from flask import Flask

from portal import signals
from portal.cli import register_setup_step
from portal.contacts import demo, reminders
from portal.contacts import search as contact_search
from portal.contacts.blueprint import bp
from portal.contacts.links import directory_links
from portal.contacts.phones import format_phone
from portal.search import register_source


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["phone"] = format_phone
    register_source(app, contact_search.SOURCE)
    signals.directory_links.connect(directory_links, app)
    signals.jobs.connect(reminders.reminder_job, app)
    # After the demo logins (order 90): the demo contact login gets a profile too.
    register_setup_step(app, "Kontaktpersoner (demo)", demo.create, order=95, demo_only=True)
