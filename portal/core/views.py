"""The front page, the accessibility statement and the health checks."""

import sqlalchemy as sa
from flask import Blueprint, Flask, jsonify, render_template

from portal.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    return render_template("core/index.html")


@bp.get("/tilgaengelighed")
def accessibility():
    return render_template("core/accessibility.html")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
