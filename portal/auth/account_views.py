"""A user's own account: change the password, log out everywhere, and the one-time reset link
an administrator hands over."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal import ratelimit
from portal.auth import links, services, sessions, throttle
from portal.auth.forms import ChangePasswordForm, NewPasswordForm
from portal.errors import FieldErrors, TooManyAttempts, ValidationError
from portal.extensions import limiter
from portal.forms import ConfirmForm, show_refusal


@login_required
def account():
    return render_template("auth/account.html", form=ConfirmForm())


@login_required
@limiter.limit(ratelimit.account_rate, key_func=ratelimit.per_user_and_address, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            changed = services.change_own_password(
                user, form.current.data, form.password.data, throttle.this_device()
            )
        except TooManyAttempts as error:
            status = show_refusal(form, error)
        except ValidationError as error:
            status = show_refusal(form, FieldErrors({"password": error.message}))
        else:
            if changed:
                login_user(user)  # this browser carries the new session token; others end
                flash("Din adgangskode er skiftet. Du er logget ud alle andre steder.", "success")
                return redirect(url_for("auth.account"))
            # A 200, so that the counted failure is committed.
            form.current.errors = ["Den nuværende adgangskode er forkert."]
            form.form_errors.append("Tjek de markerede felter.")
    elif request.method == "POST":
        status = 400
    return render_template("auth/change_password.html", form=form), status


@login_required
def logout_everywhere():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    services.logout(current_user, everywhere=True)
    logout_user()
    session.clear()
    flash("Du er logget ud på alle enheder og browsere, også denne.", "success")
    return redirect(url_for("auth.login"))


@limiter.limit(ratelimit.account_rate, key_func=ratelimit.per_link_and_address, methods=["POST"])
@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address, methods=["POST"])
def reset_password(token: str):
    try:
        user = links.user_for(token, links.RESET)
    except ValidationError as error:
        return render_template("auth/link_invalid.html", message=error.message), 400
    form = NewPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data, actor=user)
        except ValidationError as error:
            status = show_refusal(form, FieldErrors({"password": error.message}))
        else:
            session.clear()
            login_user(user)
            sessions.start()
            flash("Din nye adgangskode er gemt, og du er logget ind.", "success")
            return redirect(url_for("core.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset_password.html", form=form, user=user), status
