"""Reader feedback: the block at the end of every guide and procedure, leaving feedback, and the
editors' lists where it is handled."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.errors import PortalError
from portal.extensions import limiter
from portal.forms import show_refusal
from portal.kb import feedback, feedback_lists, services, views
from portal.kb.feedback_forms import FeedbackForm, HandleForm
from portal.kb.models import Page
from portal.security import Role, has_role, role_required

ANCHOR = "tilbagemelding"  # the block's id: the page's address after feedback ends in it
FORM_PREFIX = "tilbagemelding"
# Per person (an office behind one address shares nothing): enough to change one's mind a few
# times, too few to flood the editors.
FEEDBACK_RATE = "10 per hour"
ON_REDAKTION = 10  # pages shown on Redaktion; the rest on the overview

PAGE_VIEWS = {"guide": views.guide, "procedure": views.procedure}


def _per_person() -> str:
    if current_user.is_authenticated:
        return f"feedback-user-{current_user.id}"
    return get_remote_address()


def feedback_block(page: Page) -> dict[str, Any]:
    """What the block at the end of a page shows (a template global): the form, with the
    reader's unhandled answer filled in, or the reply to their last handled one; anonymous
    readers get a link to log in."""
    if not current_user.is_authenticated:
        here = f"{services.page_url(page)}#{ANCHOR}"
        return {"form": None, "login_url": url_for("auth.login", next=here)}
    mine = feedback.open_item(page, current_user)
    form = g.get("feedback_form")
    if form is None:
        answer = None if mine is None else ("ja" if mine.useful else "nej")
        comment = None if mine is None else mine.comment
        form = FeedbackForm(formdata=None, prefix=FORM_PREFIX, useful=answer, comment=comment)
    endpoint = "kb.guide_feedback" if page.kind == "guide" else "kb.procedure_feedback"
    return {
        "form": form,
        "action": url_for(endpoint, slug=page.slug) + f"#{ANCHOR}",
        "mine": mine,
        "replied": feedback.last_handled(page, current_user) if mine is None else None,
        "editor_url": url_for("kb.page_feedback", slug=page.slug)
        if has_role(current_user, Role.EDITOR)
        else None,
    }


def editor_feedback() -> dict[str, Any]:
    """For Redaktion's section (a template global): the pages with open feedback."""
    found = feedback_lists.summaries(current_user, only_open=True)
    return {
        "pages": found[:ON_REDAKTION],
        "more": max(0, len(found) - ON_REDAKTION),
        "open": sum(s.open for s in found),
    }


def _leave(kind: str, slug: str):
    page = services.get_page(kind, slug)
    form = FeedbackForm(prefix=FORM_PREFIX)
    status = 400
    if form.validate_on_submit():
        try:
            feedback.leave(page, current_user, form.answer(), form.comment.data)
        except PortalError as error:
            status = show_refusal(form, error)
        else:
            flash("Tak for din tilbagemelding. Redaktionen læser den.", "success")
            return redirect(f"{services.page_url(page)}#{ANCHOR}")
    else:
        form.form_errors.append("Formularen kunne ikke sendes. Genindlæs siden, og prøv igen.")
    g.feedback_form = form  # the page, with the answer kept and the messages on the fields
    return PAGE_VIEWS[kind](slug), status


@role_required(Role.STAFF)
@limiter.limit(FEEDBACK_RATE, key_func=_per_person)
def guide_feedback(slug: str):
    return _leave("guide", slug)


@role_required(Role.STAFF)
@limiter.limit(FEEDBACK_RATE, key_func=_per_person)
def procedure_feedback(slug: str):
    return _leave("procedure", slug)


@role_required(Role.EDITOR)
def overview():
    return render_template(
        "kb/feedback_overview.html", summaries=feedback_lists.summaries(current_user)
    )


def _handle_form(item: feedback.PageFeedback, formdata: bool = False) -> HandleForm:
    prefix = f"fb{item.id}"
    if formdata:
        return HandleForm(prefix=prefix)
    return HandleForm(formdata=None, prefix=prefix, version=str(item.version))


def _page_list(page: Page, failed: HandleForm | None = None, failed_id: int | None = None):
    found = feedback_lists.for_page(page)
    forms = {item.id: _handle_form(item) for item in found.open}
    refusals: list[str] = []
    if failed is not None and failed_id in forms:
        failed.version.data = forms[failed_id].version.data  # the version the editor now sees
        forms[failed_id] = failed
    elif failed is not None:
        refusals = failed.form_errors  # handled by someone else: the item is no longer open
    return render_template(
        "kb/feedback_page.html",
        page=page,
        page_url=services.page_url(page),
        found=found,
        forms=forms,
        refusals=refusals,
        owned=feedback_lists.owns(page, current_user),
    )


@role_required(Role.EDITOR)
def page_feedback(slug: str):
    return _page_list(feedback_lists.page_by_slug(slug))


@role_required(Role.EDITOR)
def handle(feedback_id: int):
    item = feedback.get_item(feedback_id)
    page = item.page
    form = _handle_form(item, formdata=True)
    status = 400
    if form.validate_on_submit():
        try:
            feedback.handle(item, form.reply.data, form.expected_version(), current_user)
        except PortalError as error:
            status = show_refusal(form, error)
        else:
            flash("Tilbagemeldingen er markeret som behandlet.", "success")
            return redirect(url_for("kb.page_feedback", slug=page.slug))
    else:
        form.form_errors.append("Formularen kunne ikke sendes. Genindlæs siden, og prøv igen.")
    return _page_list(page, form, feedback_id), status
