from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import services
from portal.auth.cli import create_demo_users, user_cli
from portal.auth.forms import LoginForm
from portal.cli import portal_cli, register_setup_step
from portal.errors import TooManyAttempts
from portal.extensions import db, limiter, login_manager
from portal.security import is_safe_next

bp = Blueprint("auth", __name__)

WRONG_LOGIN = "E-mail eller adgangskode er forkert."


def _next_url() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("core.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    form = LoginForm()
    status = 200
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url())
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except TooManyAttempts as exc:
            form.form_errors.append(exc.message)
            return render_template("auth/login.html", form=form), 429
        db.session.commit()  # the success, or the counted failure
        if user is not None:
            session.clear()  # a fresh session: nothing from before login survives
            login_user(user)
            flash(f"Du er logget ind som {user.name}.", "success")
            return redirect(_next_url())
        form.form_errors.append(WRONG_LOGIN)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    services.logout(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Du er logget ud.", "success")
    return redirect(url_for("core.index"))


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log ind for at se siden."
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.load_session_user)
    app.register_blueprint(bp)
    portal_cli.add_command(user_cli)
    register_setup_step(app, "Demologins", create_demo_users, order=90, demo_only=True)
