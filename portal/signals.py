"""The one way features hook into each other: blinker signals. The sender is the app.

A feature sends a signal where something happens or where others may contribute, and connects
receivers in its ``init_app``; neither imports the other.
"""

from typing import Any

from blinker import NamedSignal, Namespace
from flask import current_app

_signals = Namespace()

committed = _signals.signal(
    "committed",
    doc="A transaction committed that announced after-commit work in its session's ``info`` "
    "(kwarg ``session``: the committed session; a transaction whose ``info`` is empty sends "
    "nothing). Receivers run in a fresh app context, so in their own session, and commit their "
    "own work: the search indexer, the mail sender.",
)

page_viewed = _signals.signal(
    "page-viewed",
    doc="A guide or procedure was read (kwargs ``kind``, ``slug``). Sent by the view; a receiver "
    "that writes does so after the response (``transaction.after_response``).",
)

front_page = _signals.signal(
    "front-page",
    doc="The front page is being built. A receiver returns a dict of extra template values "
    "(the calendar returns ``meetings``).",
)

contact_profile = _signals.signal(
    "contact-profile",
    doc="A contact person's profile is shown (kwarg ``user_id``). A receiver returns a section "
    "``{'title': str, 'items': [(label, url)]}`` or None.",
)

personal_data = _signals.signal(
    "personal-data",
    doc="A person's data is exported (kwarg ``user_id``). A receiver returns a dict of what its "
    "feature holds about them (the calendar: registrations and meetings organised).",
)

directory_links = _signals.signal(
    "directory-links",
    doc="People and units the directory knows by name (kwarg ``names``: the names asked about, "
    "or None for every one). A receiver returns ``{name: url}`` (a procedure step's contact "
    "becomes a link; the page editor offers the names).",
)
logging_out = _signals.signal(
    "logging-out",
    doc="A user is logging out (before the session ends). A receiver returns a URL to send "
    "them to instead of the front page (single sign-on: the provider's logout), or None.",
)

jobs = _signals.signal(
    "jobs",
    doc="``portal jobs run``: every due job. A receiver does its work and returns a line for the "
    "report, or None when there was nothing to do.",
)


def collect(signal: NamedSignal, **kwargs: Any) -> list:
    """Send ``signal`` from the current app; the receivers' answers, in the order they were
    connected, without the Nones."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return [value for _, value in signal.send(app, **kwargs) if value is not None]
