"""Kontaktpersoner: the directory and the contact persons' self-service profiles."""

from flask import Flask

from portal import page_cache, signals
from portal.auth.models import User
from portal.cli import register_setup_step
from portal.contacts import demo, reminders
from portal.contacts import search as contact_search
from portal.contacts.blueprint import bp
from portal.contacts.links import directory_links
from portal.contacts.models import Centre, ContactProfile, Team
from portal.contacts.phones import format_phone
from portal.search import register_source


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["phone"] = format_phone
    register_source(app, contact_search.SOURCE)
    signals.directory_links.connect(directory_links, app)
    # What directory_links reads: a procedure step's contact is a link in a cached page.
    page_cache.watch(User, ("name", "active"))
    page_cache.watch(ContactProfile, ("user_id",))
    page_cache.watch(Team, ("name", "key", "approved", "centre_id"))
    page_cache.watch(Centre, ("name", "key"))
    signals.jobs.connect(reminders.reminder_job, app)
    # After the demo logins (order 90): the demo contact login gets a profile too.
    register_setup_step(app, "Kontaktpersoner (demo)", demo.create, order=95, demo_only=True)
