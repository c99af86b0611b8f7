from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from portal import ratelimit, signals
from portal.auth import services, sessions, throttle
from portal.auth.forms import LoginForm
from portal.errors import TooManyAttempts
from portal.extensions import limiter
from portal.forms import show_refusal
from portal.security import is_safe_next

WRONG_LOGIN = "E-mail eller adgangskode er forkert."


def _next_url() -> str:
    target = request.args.get("next")
    return target if target and is_safe_next(target) else url_for("core.index")


@limiter.limit(ratelimit.account_rate, key_func=ratelimit.per_account_and_address, methods=["POST"])
@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address, methods=["POST"])
def login():
    form = LoginForm()
    status = 200
    headers: dict[str, str] = {}
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url())
    if form.validate_on_submit():
        try:
            device = throttle.this_device()
            user = services.authenticate(form.email.data, form.password.data, device)
        except (TooManyAttempts, services.LocalLoginClosed) as error:
            # The counted failures stay: nothing was changed.
            status, headers = show_refusal(form, error), error.headers
        else:
            if user is not None:
                return _logged_in(user)
            form.form_errors.append(WRONG_LOGIN)  # a 200: the counted failure is committed
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status, headers


def _logged_in(user):
    sessions.log_in(user)
    flash(f"Du er logget ind som {user.name}.", "success")
    return throttle.remember_device(redirect(_next_url()), user.id)


@login_required
def logout():
    """Ends the portal's session, and the provider's where the session began there."""
    elsewhere = next(iter(signals.collect(signals.logging_out)), None)
    services.logout(current_user)
    logout_user()
    session.clear()
    flash("Du er logget ud.", "success")
    return redirect(elsewhere or url_for("core.index"))
