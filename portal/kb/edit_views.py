"""Editing guides and procedures in the browser (editors): the edit form with steps that can
be added, removed and moved without JavaScript, a server-rendered preview, and publication."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import signals
from portal.errors import Conflict, FieldErrors, NotFound
from portal.forms import VersionedForm, flash_refusal, show_refusal
from portal.kb import editing, revisions, writing_help
from portal.kb.diff import compare
from portal.kb.edit_forms import PageForm
from portal.kb.models import Page
from portal.kb.services import page_url
from portal.kb.sync import current_glossary
from portal.security import Role, role_required
from portal.text import render, render_inline

KINDS = {"vejviser": "guide", "sagsgange": "procedure"}


def _fill(form: PageForm, page: Page) -> None:
    data = revisions.data_of(page)
    form.process(
        data={
            "version": page.version,
            "revision": getattr(revisions.latest(page), "number", ""),
            "title": data.title,
            "slug": data.slug,
            "summary": data.summary,
            "administration": data.administration,
            "category": data.category,
            "tags": ", ".join(data.tags),
            "owner": data.owner,
            "related": ", ".join(data.related),
            "trigger": data.trigger or "",
            "follows_model": data.follows_model,
            "review_days": str(data.review_days or ""),
            "body": data.body,
            "steps": [{**vars(s), "model_step": str(s.model_step or "")} for s in data.steps],
        }
    )


def _step_action(form: PageForm) -> bool:
    """Add, remove or move a step as the pressed button says. True if one was pressed. The
    steps are numbered again, so the form's field names follow the new order."""
    action = request.form.get("trin", "")
    steps = [entry.data for entry in form.steps.entries]
    verb, _, raw = action.partition("-")
    number = int(raw) if raw.isdigit() and int(raw) < len(steps) else None
    if action == "tilfoej":
        steps.append({})
    elif number is not None and verb == "fjern":
        steps.pop(number)
    elif number is not None and verb in ("op", "ned"):
        other = number - 1 if verb == "op" else number + 1
        if 0 <= other < len(steps):
            steps[number], steps[other] = steps[other], steps[number]
    else:
        return False
    form.steps.entries = []
    form.steps.last_index = -1
    for step in steps:
        form.steps.append_entry(step or None)
    return True


def _show_errors(form: PageForm, error: FieldErrors) -> None:
    """Put ``steps-2-title`` style errors on the step's field; the rest as ``show_refusal``."""
    for name in [n for n in error.errors if n.startswith("steps-")]:
        message = error.errors.pop(name)
        _, number, key = [*name.split("-"), "", ""][:3]
        if number.isdigit() and int(number) < len(form.steps) and key:
            form.steps[int(number)].form[key].errors = [message]
        else:
            error.errors["steps"] = message


def _edit(kind: str, page: Page | None):
    form = PageForm()
    form.owner.choices = editing.owners()
    if page is not None and page.owner not in form.owner.choices:
        form.owner.choices.append(page.owner)
    if request.method == "GET" and page is not None:
        _fill(form, page)
    status, preview, theirs = 200, None, None
    if request.method == "POST" and form.validate_on_submit():
        if _step_action(form):
            pass  # the form again, with the steps changed
        elif "forhaandsvis" in request.form:
            preview = _preview(form)
        else:
            try:
                saved = editing.save(
                    kind,
                    page,
                    form.draft(),
                    form.expected_version(),
                    form.note.data or "",
                    current_user,
                )
            except FieldErrors as error:
                _show_errors(form, error)
                status = show_refusal(form, error)
            except Conflict as error:
                status = show_refusal(form, error)
                theirs = _their_changes(page, form)
            else:
                flash("Siden er gemt.", "success")
                return redirect(page_url(saved))
    elif request.method == "POST":
        form.form_errors.append("Formularen er udløbet. Genindlæs siden, og prøv igen.")
        status = 400
    return render_template(
        "kb/edit.html",
        form=form,
        page=page,
        kind=kind,
        section=_section(kind),
        preview=preview,
        theirs=theirs,
        directory=sorted(
            {name for links in signals.collect(signals.directory_links) for name in links}
        )
        if kind == "procedure"
        else [],
        help=writing_help.check(
            form.body.data or "",
            [s.form.text.data or "" for s in form.steps],
            current_glossary(),
        ),
    ), status


def _their_changes(page: Page | None, form: PageForm):
    """What was saved since the form was opened: its revision against the latest."""
    if page is None:
        return None
    form.version.data = page.version  # the next save is checked against what they saw now
    latest = revisions.latest(page)
    raw = form.revision.data or ""
    if latest is None or not str(raw).isdigit():
        return None
    try:
        opened = revisions.get(page, int(raw))
    except NotFound:
        return None
    form.revision.data = latest.number
    return compare(revisions.data_from(opened.state), revisions.data_from(latest.state))


def _preview(form: PageForm) -> dict:
    glossary = current_glossary()
    return {
        "body": render(form.body.data or "", glossary).html,
        "steps": [
            (s.form.title.data, render_inline(s.form.text.data or "", glossary)) for s in form.steps
        ],
    }


def _section(kind: str) -> str:
    return next(section for section, k in KINDS.items() if k == kind)


@role_required(Role.EDITOR)
def new(section: str):
    return _edit(KINDS[section], None)


@role_required(Role.EDITOR)
def edit(section: str, slug: str):
    return _edit(KINDS[section], editing.get_page(KINDS[section], slug))


def versioned_action(action, done: str):
    """A one-button POST on a page that carries the version it was shown at: do ``action``
    (given that version) and say ``done``, or say why not. Returns what ``action`` returned,
    or None if it was refused."""
    form = VersionedForm()
    if not form.validate_on_submit():
        return None
    try:
        result = action(form.expected_version())
    except Conflict as error:
        flash_refusal(error)
        return None
    flash(done, "success")
    return result


@role_required(Role.EDITOR)
def mark_reviewed(section: str, slug: str):
    page = editing.get_page(KINDS[section], slug)
    versioned_action(
        lambda version: editing.mark_reviewed(page, version, current_user),
        "Siden er markeret som gennemgået i dag.",
    )
    return redirect(
        page_url(page) if page.published else url_for("kb.history", section=section, slug=slug)
    )


@role_required(Role.EDITOR)
def set_published(section: str, slug: str, published: bool):
    page = editing.get_page(KINDS[section], slug)
    versioned_action(
        lambda version: editing.set_published(page, published, version, current_user),
        "Siden er udgivet igen." if published else "Siden er afpubliceret.",
    )
    return redirect(url_for("kb.history", section=section, slug=page.slug))
