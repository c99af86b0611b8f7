"""/kalender: the list, the month grid, past meetings, a meeting's page, registration, the
participant list and the iCalendar feeds. The editors' pages are in ``editing.py``."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
)
from flask_login import current_user, login_required

from portal.administration import FILTERS, chosen_filter
from portal.calendar import (
    bounds,
    formatting,
    ics,
    listing,
    occurrences,
    participant_list,
    registrations,
)
from portal.calendar.forms import RegistrationForm, UnregisterForm
from portal.calendar.loading import get_event, get_occurrence
from portal.calendar.models import KIND_BY_SLUG, KINDS, WAITLISTED
from portal.calendar.occurrences import Occurrence
from portal.db import utcnow
from portal.errors import Forbidden, ValidationError
from portal.forms import flash_refusal, show_refusal
from portal.timeutil import local, local_now, local_today


def chosen_filters() -> dict[str, str | None]:
    """The type and administration filters from the URL (Danish values), kept in every link."""
    kind = request.args.get("type")
    administration = request.args.get("forvaltning")
    return {
        "type": kind if kind in KIND_BY_SLUG else None,
        "forvaltning": chosen_filter(administration),
    }


def filter_values(filters: dict) -> tuple[str | None, str | None]:
    return KIND_BY_SLUG.get(filters["type"] or ""), filters["forvaltning"]


def _list_page(template_view: str, items: list[Occurrence], filters: dict):
    return render_template(
        "calendar/index.html",
        view=template_view,
        groups=listing.by_month(items[: listing.LIST_LIMIT]),
        more=len(items) > listing.LIST_LIMIT,
        limit=listing.LIST_LIMIT,
        filters=filters,
        kinds=KINDS,
        administrations_for=FILTERS,
        today=local_today(),
    )


def index():
    filters = chosen_filters()
    return _list_page("upcoming", listing.upcoming(*filter_values(filters)), filters)


def past():
    filters = chosen_filters()
    return _list_page("past", listing.past(*filter_values(filters)), filters)


def month(year: int, month: int):
    if not bounds.month_within(year, month):
        abort(404)
    filters = chosen_filters()
    first = date(year, month, 1)
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render_template(
        "calendar/month.html",
        view="month",
        first=first,
        previous=date(*previous, 1) if bounds.month_within(*previous) else None,
        following=date(*following, 1) if bounds.month_within(*following) else None,
        weeks=listing.month_grid(year, month, *filter_values(filters)),
        filters=filters,
        kinds=KINDS,
        administrations_for=FILTERS,
        today=local_today(),
    )


def _occurrence_page(occurrence: Occurrence, form=None, status: int = 200):
    registration = registrations.registration_of(occurrence, current_user)
    if form is None:
        form = RegistrationForm()
        if current_user.is_authenticated and not request.form:
            form.administration.data, form.unit.data = registrations.last_details(current_user)
    return render_template(
        "calendar/event.html",
        occurrence=occurrence,
        event=occurrence.event,
        seats=registrations.seats(occurrence),
        registration=registration,
        position=(
            registrations.waitlist_position(registration)
            if registration and registration.status == WAITLISTED
            else None
        ),
        closed=registrations.closed_because(occurrence),
        can_unregister=registration is not None and occurrence.starts_at > utcnow(),
        form=form,
        unregister_form=UnregisterForm(),
        can_see_participants=participant_list.can_see_participants(current_user, occurrence.event),
    ), status


def event(event_id: int):
    event = get_event(event_id)
    if not event.is_series:
        return _occurrence_page(get_occurrence(event_id, None))
    now = local_now()
    coming = occurrences.between(event, now, now + listing.UPCOMING)
    return render_template(
        "calendar/series.html",
        event=event,
        coming=coming,
        first=local(event.starts_at),
        rule=formatting.rule_text(event),
    )


def occurrence(event_id: int, day: date):
    return _occurrence_page(get_occurrence(event_id, day))


def _back(occurrence: Occurrence):
    return redirect(formatting.occurrence_url(occurrence))


@login_required
def register(event_id: int, day: date | None):
    occurrence = get_occurrence(event_id, day)
    form = RegistrationForm()
    if not form.validate_on_submit():
        return _occurrence_page(occurrence, form, 400)
    try:
        registration = registrations.register(
            occurrence, current_user, form.administration.data, form.unit.data
        )
    except ValidationError as error:
        status = show_refusal(form, error)
        return _occurrence_page(get_occurrence(event_id, day), form, status)
    if registration.status == WAITLISTED:
        position = registrations.waitlist_position(registration)
        flash(f"Mødet er fuldt. Du står på ventelisten som nummer {position}.", "info")
    else:
        flash("Du er tilmeldt.", "success")
    return _back(occurrence)


@login_required
def unregister(event_id: int, day: date | None):
    occurrence = get_occurrence(event_id, day)
    if not UnregisterForm().validate_on_submit():
        abort(400)
    try:
        registrations.unregister(occurrence, current_user)
    except ValidationError as error:
        flash_refusal(error)
        return _back(occurrence)
    flash("Du er afmeldt.", "success")
    return _back(occurrence)


def _participants_of(event_id: int, day: date | None) -> Occurrence:
    occurrence = get_occurrence(event_id, day)
    if not participant_list.can_see_participants(current_user, occurrence.event):
        raise Forbidden("Kun arrangøren og specialenheden kan se deltagerlisten.")
    return occurrence


@login_required
def participants(event_id: int, day: date | None):
    occurrence = _participants_of(event_id, day)
    return render_template(
        "calendar/participants.html",
        occurrence=occurrence,
        event=occurrence.event,
        people=participant_list.participants(occurrence),
        seats=registrations.seats(occurrence),
        administrations=registrations.ADMINISTRATIONS,
    )


@login_required
def participants_csv(event_id: int, day: date | None):
    occurrence = _participants_of(event_id, day)
    body = participant_list.participants_csv(occurrence, formatting.short_datetime)
    name = f"deltagere-{occurrence.event.id}-{occurrence.key or 'moede'}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _ics_response(body: bytes, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def feed():
    kind, administration = filter_values(chosen_filters())
    events = ics.feed_events(listing.matching(kind, administration))
    name = ics.feed_name(kind, administration)
    return _ics_response(
        ics.calendar(events, formatting.absolute_link, name), "bif-sof-kalender.ics"
    )


def event_ics(event_id: int):
    event = get_event(event_id)
    body = ics.calendar([event], formatting.absolute_link, event.title)
    return _ics_response(body, f"moede-{event.id}.ics")
