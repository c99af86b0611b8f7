"""Checks before a production server starts serving (``wsgi.py``) and ``portal check``: what
configuration alone cannot tell, because it is in the database."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from portal.auth.models import User
from portal.config import ConfigError, is_production
from portal.extensions import db


def problems(app: Flask) -> list[str]:
    """What must be fixed before this installation serves real users, in Danish."""
    found = []
    with app.app_context():
        demo = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.is_demo)) or 0
        db.session.rollback()
    if demo:
        found.append(
            f"Databasen har {demo} demobrugere med offentligt kendte adgangskoder. Brug en "
            "database uden demodata i produktion (demodata oprettes kun af `setup --demo`)."
        )
    return found


def warnings(app: Flask) -> list[str]:
    """What may be right (the first administrator may come through single sign-on), but
    usually is not."""
    with app.app_context():
        admins = db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.role == "admin", User.active)
        )
        db.session.rollback()
    if admins:
        return []
    return [
        "Der er ingen aktiv administrator: opret en med flask --app wsgi portal user create "
        "--email … --name … --role admin (med single sign-on: giv gruppen administratorrollen)."
    ]


def before_serving(app: Flask) -> None:
    """In production, refuse to start while :func:`problems` finds anything."""
    if not is_production(app.config):
        return
    found = problems(app)
    if found:
        raise ConfigError(" ".join(found))
