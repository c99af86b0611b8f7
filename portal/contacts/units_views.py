"""/redaktion/enheder: the editors keep the lists of centres and teams (add, rename, merge,
approve or reject a proposed team) and merge "Kan hjælpe med" areas."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.administration import FILTERS
from portal.contacts import lists, units
from portal.contacts.models import Centre, Team
from portal.contacts.units_forms import (
    AreaMergeForm,
    CentreForm,
    MergeForm,
    RenameForm,
    TeamForm,
)
from portal.errors import Conflict, FieldErrors
from portal.extensions import db
from portal.forms import ConfirmForm, VersionedForm, flash_refusal, show_refusal
from portal.security import Role, role_required


def _area_form(form: AreaMergeForm | None = None) -> AreaMergeForm:
    form = form or AreaMergeForm()
    areas = lists.areas_in_use()
    form.gone.choices = [SelectChoice(slug, f"{name} ({n})") for slug, name, n in areas]
    form.into.choices = [SelectChoice(slug, name) for slug, name, _ in areas]
    return form


def _overview(status: int = 200, **forms):
    centres = lists.centres()
    return render_template(
        "contacts/units.html",
        pending=lists.pending_teams(),
        administrations=[
            (a, label, [c for c in centres if c.administration == a])
            for a, label in FILTERS.items()
        ],
        counts=lists.profile_counts(),
        centre_form=forms.get("centre_form") or CentreForm(prefix="centre"),
        team_form=forms.get("team_form") or TeamForm(prefix="team"),
        area_form=_area_form(forms.get("area_form")),
        areas=lists.areas_in_use(),
    ), status


def _profiles(count: int) -> str:
    return f"{count} {'profil' if count == 1 else 'profiler'}"


def _back(message: str):
    flash(message, "success")
    return redirect(url_for("contacts.units"))


@role_required(Role.EDITOR)
def overview():
    return _overview()


@role_required(Role.EDITOR)
def add_centre():
    form = CentreForm(prefix="centre")
    if not form.validate_on_submit():
        return _overview(show_refusal(form, FieldErrors({})), centre_form=form)
    try:
        centre = units.add_centre(form.name.data, form.administration.data, current_user)
    except FieldErrors as error:
        return _overview(show_refusal(form, error), centre_form=form)
    return _back(f"«{centre.name}» er føjet til listen over centre.")


@role_required(Role.EDITOR)
def add_team():
    form = TeamForm(prefix="team")
    centre = _entry(Centre, form.centre.data) if form.validate_on_submit() else None
    try:
        if centre is None:
            raise FieldErrors({"centre": "Vælg det center, teamet hører til."})
        team = units.add_team(centre, form.name.data, current_user)
    except FieldErrors as error:
        return _overview(show_refusal(form, error), team_form=form)
    return _back(f"«{team.name}» er føjet til {centre.name}.")


def _entry(model: type[Centre] | type[Team], raw: object):
    text = str(raw or "")
    return (
        db.session.get(model, int(text))
        if text.isascii() and text.isdigit() and len(text) < 10
        else None
    )


def _loaded(model: type[Centre] | type[Team], entry_id: int):
    entry = db.session.get(model, entry_id)
    if entry is None:
        abort(404)
    return entry


def _merge_choices(entry: Centre | Team) -> list[SelectChoice]:
    """The entries ``entry`` can be merged into: the others of its administration."""
    if isinstance(entry, Centre):
        return [
            SelectChoice(str(c.id), c.name)
            for c in lists.centres(entry.administration)
            if c is not entry
        ]
    return [
        SelectChoice(str(t.id), lists.team_label(t), optgroup=t.centre.name)
        for t in lists.teams(approved=None)
        if t is not entry and t.centre.administration == entry.centre.administration
    ]


def _entry_page(entry: Centre | Team, status: int = 200, rename=None, merge=None):
    if rename is None:
        rename = RenameForm(obj=entry)
        rename.version.data = entry.version
    merge = merge or MergeForm()
    merge.into.choices = _merge_choices(entry)
    return render_template(
        "contacts/unit.html",
        entry=entry,
        is_centre=isinstance(entry, Centre),
        rename=rename,
        merge=merge,
        counts=lists.profile_counts(),
        label=lists.team_label,
    ), status


def _rename(model: type[Centre] | type[Team], entry_id: int):
    entry = _loaded(model, entry_id)
    if request.method == "GET":
        return _entry_page(entry)
    form = RenameForm()
    if not form.validate_on_submit():
        return _entry_page(entry, show_refusal(form, FieldErrors({})), rename=form)
    try:
        old = entry.name
        units.rename(entry, form.name.data, form.expected_version(), current_user)
    except (FieldErrors, Conflict) as error:
        return _entry_page(_loaded(model, entry_id), show_refusal(form, error), rename=form)
    flash(f"«{old}» hedder nu «{entry.name}».", "success")
    endpoint = "contacts.units_centre" if model is Centre else "contacts.units_team"
    return redirect(url_for(endpoint, entry_id=entry.id))


def _merge(model: type[Centre] | type[Team], entry_id: int):
    gone = _loaded(model, entry_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _entry_page(gone, show_refusal(form, FieldErrors({})), merge=form)
    kept = _entry(model, form.into.data)
    try:
        if kept is None:
            raise FieldErrors({"into": "Vælg på listen, hvad det skal lægges sammen med."})
        name = gone.name
        merge = units.merge_centres if isinstance(gone, Centre) else units.merge_teams
        moved = merge(gone, kept, current_user)
    except (FieldErrors, Conflict) as error:
        return _entry_page(_loaded(model, entry_id), show_refusal(form, error), merge=form)
    return _back(f"«{name}» er lagt sammen med «{kept.name}». {_profiles(moved)} er flyttet.")


@role_required(Role.EDITOR)
def centre(entry_id: int):
    return _rename(Centre, entry_id)


@role_required(Role.EDITOR)
def team(entry_id: int):
    return _rename(Team, entry_id)


@role_required(Role.EDITOR)
def merge_centre(entry_id: int):
    return _merge(Centre, entry_id)


@role_required(Role.EDITOR)
def merge_team(entry_id: int):
    return _merge(Team, entry_id)


@role_required(Role.EDITOR)
def approve(entry_id: int):
    team = _loaded(Team, entry_id)
    form = VersionedForm()
    if form.validate_on_submit():
        try:
            units.approve(team, form.expected_version(), current_user)
        except Conflict as error:
            flash_refusal(error)
        else:
            return _back(f"«{team.name}» er godkendt og vises nu i oversigten.")
    return redirect(url_for("contacts.units"))


@role_required(Role.EDITOR)
def reject(entry_id: int):
    team = _loaded(Team, entry_id)
    if ConfirmForm().validate_on_submit():
        name = team.name
        try:
            moved = units.reject(team, current_user)
        except Conflict as error:
            flash_refusal(error)
        else:
            return _back(f"Forslaget «{name}» er afvist. {_profiles(moved)} har nu intet team.")
    return redirect(url_for("contacts.units"))


@role_required(Role.EDITOR)
def merge_areas():
    form = _area_form()
    try:
        if not form.validate_on_submit():
            raise FieldErrors({})
        moved = units.merge_areas(form.gone.data, form.into.data, current_user)
    except (FieldErrors, Conflict) as error:
        return _overview(show_refusal(form, error), area_form=form)
    return _back(f"Områderne er lagt sammen. {_profiles(moved)} er flyttet.")
