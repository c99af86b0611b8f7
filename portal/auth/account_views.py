"""A user's own account: change the password, log out everywhere, ask for a reset link by mail
when the password is forgotten, and the one-time reset link (mailed, or handed over by an
administrator)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from portal import ratelimit
from portal.auth import links, mails, services, sessions, throttle
from portal.auth.forms import ChangePasswordForm, ForgotPasswordForm, NewPasswordForm
from portal.errors import FieldErrors, TooManyAttempts, ValidationError
from portal.extensions import limiter
from portal.forms import ConfirmForm, show_refusal

FORGOT_RATE = "5 per minute;20 per hour"


@login_required
def account():
    return render_template("auth/account.html", form=ConfirmForm())


@login_required
@limiter.limit(ratelimit.account_rate, key_func=ratelimit.per_user_and_address, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    status = 200
    headers: dict[str, str] = {}
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            changed = services.change_own_password(
                user, form.current.data, form.password.data, throttle.this_device()
            )
        except TooManyAttempts as error:
            status, headers = show_refusal(form, error), error.headers
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
    return render_template("auth/change_password.html", form=form), status, headers


@login_required
def logout_everywhere():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    services.logout(current_user, everywhere=True)
    logout_user()
    session.clear()
    flash("Du er logget ud på alle enheder og browsere, også denne.", "success")
    return redirect(url_for("auth.login"))


# A mail to the named account: few per account and address, and the ceiling per address.
@limiter.limit(FORGOT_RATE, key_func=ratelimit.per_account_and_address, methods=["POST"])
@limiter.limit(ratelimit.address_rate, key_func=ratelimit.per_address, methods=["POST"])
def forgot_password():
    """The same answer whether the address has an account or not (``mails.forgotten``)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        mails.forgotten(form.email.data.strip())
        return render_template("auth/forgot_sent.html", email=form.email.data.strip())
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


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
            sessions.log_in(user)
            flash("Din nye adgangskode er gemt, og du er logget ind.", "success")
            return redirect(url_for("core.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset_password.html", form=form, user=user), status
