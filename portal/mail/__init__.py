"""Mail: a durable outbox sent through the municipality's SMTP relay after commit, the jobs
that queue reminders and digests, each user's choice of optional mail, and the administrators'
view of what was sent and what failed."""

from flask import Flask

from portal import signals
from portal.cli import add_command
from portal.mail import cli, delivery
from portal.mail.blueprint import bp
from portal.mail.outbox import Attachment, queue, register_link

__all__ = ["Attachment", "init_app", "queue", "register_link"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    signals.committed.connect(delivery.on_commit, app)
    # Sends, after the jobs' transaction commits, what is due and what other jobs queued.
    signals.jobs.connect(delivery.send_job, app)
    add_command(app, cli.mail_cli)
