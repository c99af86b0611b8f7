"""Form pieces every feature uses: the one-button confirm form, the versioned form, and how a
refused save comes back to the form."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms import HiddenField

from portal.errors import FieldErrors, PortalError
from portal.transaction import rollback


class ConfirmForm(FlaskForm):
    """One-button actions (publish, remove, confirm): the CSRF token is the whole form."""


class VersionedForm(FlaskForm):
    """An edit form that carries the version it was opened at (see ``errors.check_version``)."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None


def show_refusal(form: FlaskForm, error: PortalError) -> int:
    """Undo the attempt and show its Danish messages on ``form``, each next to its field where
    it has one; the user's input stays in the form. Returns the status to answer with."""
    rollback()
    if isinstance(error, FieldErrors):
        for name, message in error.errors.items():
            field = getattr(form, name, None)
            if field is None:
                form.form_errors.append(message)
            else:
                field.errors = [message]
    form.form_errors.append(error.message)
    return error.status


def flash_refusal(error: PortalError) -> None:
    """For an action that answers with a redirect: undo the attempt and say why on the next
    page."""
    rollback()
    flash(error.message, "error")
