"""A page's history (editors): every revision, a readable comparison of any two, and restore."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.errors import NotFound
from portal.forms import VersionedForm
from portal.kb import editing, revisions
from portal.kb.diff import compare as compare_states
from portal.kb.edit_views import KINDS, versioned_action
from portal.kb.glossary_diff import compare_terms
from portal.kb.services import page_url
from portal.security import Role, has_role, role_required


def _readable(section: str, slug: str):
    """The page, if the viewer may read its history: anyone who can read a published page,
    editors any page."""
    page = editing.get_page(KINDS[section], slug, glossary=True)
    if not page.published and not has_role(current_user, Role.EDITOR):
        raise NotFound("Siden findes ikke, eller den er ikke længere udgivet.")
    return page


def history(section: str, slug: str):
    page = _readable(section, slug)
    return render_template(
        "kb/history.html",
        page=page,
        section=section,
        revisions=revisions.history(page),
        form=VersionedForm(version=page.version),
        page_url=page_url(page),
    )


def _number(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise NotFound("Den version findes ikke.")
    return int(raw)


def compare(section: str, slug: str):
    """``?fra=2&til=5``: what changed from version 2 to 5 (default: the latest against the
    one before it)."""
    page = _readable(section, slug)
    latest = revisions.latest(page)
    if latest is None:
        raise NotFound("Siden har ingen versioner endnu.")
    new = revisions.get(page, _number("til", latest.number))
    old = revisions.get(page, _number("fra", max(new.number - 1, 1)))
    return render_template(
        "kb/compare.html",
        page=page,
        section=section,
        old=old,
        new=new,
        comparison=compare_states(revisions.data_from(old.state), revisions.data_from(new.state)),
        terms=compare_terms(old.state, new.state),
        form=VersionedForm(version=page.version),
    )


@role_required(Role.EDITOR)
def restore(section: str, slug: str, number: int):
    page = editing.get_page(KINDS[section], slug)
    restored = versioned_action(
        lambda version: editing.restore(page, number, version, current_user),
        f"Version {number} er gendannet som en ny version.",
    )
    page = restored or page
    return redirect(url_for("kb.history", section=section, slug=page.slug))
