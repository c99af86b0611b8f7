"""The editors' pages: create, edit, move, cancel and delete meetings."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from portal.calendar import services
from portal.calendar.formatting import occurrence_url
from portal.calendar.forms import (
    NEW_EVENT,
    CancelForm,
    DeleteForm,
    EventForm,
    MoveForm,
    event_values,
    move_values,
)
from portal.calendar.loading import get_event, get_occurrence, organiser_choices
from portal.calendar.models import Event
from portal.errors import Conflict, PortalError, ValidationError
from portal.forms import flash_refusal, show_refusal
from portal.security import Role, role_required


def _event_form(event: Event | None) -> EventForm:
    if request.method == "POST":
        form = EventForm()
    else:
        form = EventForm(data=NEW_EVENT if event is None else event_values(event))
    form.set_organisers(organiser_choices())
    return form


def _refused(form: FlaskForm, error: PortalError, event_id: int | None) -> int:
    """Keep the editor's input and say why; after a conflict the form carries the version
    that is now current, so a second save is checked against what the editor has seen."""
    status = show_refusal(form, error)
    if isinstance(error, Conflict) and event_id is not None:
        form.version.data = str(get_event(event_id).version)
    return status


@role_required(Role.EDITOR)
def new():
    form = _event_form(None)
    status = 200
    if form.validate_on_submit():
        try:
            event = services.create_event(form.data_for_service(), current_user)
            flash("Mødet er oprettet.", "success")
            return redirect(url_for("calendar.event", event_id=event.id))
        except ValidationError as error:
            status = _refused(form, error, None)
    elif request.method == "POST":
        status = 400
    return render_template("calendar/edit.html", form=form, event=None), status


@role_required(Role.EDITOR)
def edit(event_id: int):
    event = get_event(event_id)
    form = _event_form(event)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_event(
                event, form.data_for_service(), form.expected_version(), current_user
            )
            flash("Ændringerne er gemt.", "success")
            return redirect(url_for("calendar.event", event_id=event.id))
        except (Conflict, ValidationError) as error:
            status = _refused(form, error, event_id)
    elif request.method == "POST":
        status = 400
    return render_template(
        "calendar/edit.html",
        form=form,
        event=get_event(event_id),
        conflict=status == 409,
        delete_form=DeleteForm(formdata=None, prefix="slet", data={"version": form.version.data}),
    ), status


@role_required(Role.EDITOR)
def move(event_id: int, day: date | None = None):
    occurrence = get_occurrence(event_id, day)
    form = MoveForm() if request.method == "POST" else MoveForm(data=move_values(occurrence))
    status = 200
    if form.validate_on_submit():
        try:
            occurrence = services.move(
                occurrence.event,
                day,
                form.day.data,
                form.start.data,
                form.end.data,
                form.location.data or "",
                form.expected_version(),
                current_user,
            )
            flash("Mødet er flyttet. Deltagerne kan se den nye tid på mødets side.", "success")
            return redirect(occurrence_url(occurrence))
        except (Conflict, ValidationError) as error:
            status = _refused(form, error, event_id)
            occurrence = get_occurrence(event_id, day)
    elif request.method == "POST":
        status = 400
    return render_template("calendar/move.html", form=form, occurrence=occurrence), status


@role_required(Role.EDITOR)
def cancel(event_id: int, day: date | None = None):
    event = get_event(event_id)
    target = get_occurrence(event_id, day) if day else None
    initial = {"version": str(event.version)}
    form = CancelForm() if request.method == "POST" else CancelForm(data=initial)
    status = 200
    if form.validate_on_submit():
        try:
            services.cancel(event, day, form.reason.data, form.expected_version(), current_user)
            flash("Mødet er aflyst. Det står stadig i kalenderen som aflyst.", "success")
            if target is None:
                return redirect(url_for("calendar.event", event_id=event_id))
            return redirect(occurrence_url(target))
        except (Conflict, ValidationError) as error:
            status = _refused(form, error, event_id)
            event = get_event(event_id)
            target = get_occurrence(event_id, day) if day else None
    elif request.method == "POST":
        status = 400
    return render_template(
        "calendar/cancel.html", form=form, event=event, occurrence=target
    ), status


@role_required(Role.EDITOR)
def delete(event_id: int):
    event = get_event(event_id)
    form = DeleteForm(prefix="slet")
    if not form.validate_on_submit():
        flash("Sæt kryds for at bekræfte, at mødet skal slettes.", "error")
        return redirect(url_for("calendar.edit", event_id=event_id)), 303
    try:
        title = event.title
        services.delete_event(event, form.expected_version(), current_user)
    except Conflict as error:
        flash_refusal(error)
        return redirect(url_for("calendar.edit", event_id=event_id)), 303
    flash(f"Mødet »{title}« er slettet.", "success")
    return redirect(url_for("calendar.index"))
