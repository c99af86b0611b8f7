"""Editing the glossary in the browser (editors): add a term (/ordliste/ny), change one
(/ordliste/<slug>/rediger) and remove one (a POST from the edit page, confirmed by a tick)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired

from portal.errors import Conflict, FieldErrors
from portal.extensions import db
from portal.forms import VersionedForm, flash_refusal, show_refusal
from portal.kb import glossary
from portal.kb.models import GlossaryTerm
from portal.security import Role, role_required

LATER = (
    "Søgningen bruger ændringen med det samme; siderne markerer ordet, når portalens faste "
    "opgaver har kørt (inden for få minutter)."
)


class TermForm(VersionedForm):
    term = StringField("Ord eller forkortelse")
    long = StringField("Lang form (kun for en forkortelse)")
    synonyms = StringField("Synonymer (adskilt af komma)")
    definition = TextAreaField("Forklaring (Markdown)")
    note = StringField("Hvad har du ændret? (vises i ordlistens historik)")

    def draft(self) -> glossary.TermDraft:
        return glossary.TermDraft(
            term=self.term.data or "",
            long=self.long.data or "",
            synonyms=[s.strip() for s in (self.synonyms.data or "").split(",") if s.strip()],
            definition=self.definition.data or "",
        )


class RemoveForm(VersionedForm):
    confirm = BooleanField(
        "Ja, fjern ordet fra ordlisten",
        validators=[DataRequired("Bekræft, at ordet skal fjernes.")],
    )


def _anchor(term: GlossaryTerm) -> str:
    return url_for("kb.glossary", _anchor=term.slug)


def _edit(term: GlossaryTerm | None):
    form = TermForm()
    if request.method == "GET" and term is not None:
        draft = glossary.draft_of(term)
        form.process(
            data={
                "version": term.version,
                "term": draft.term,
                "long": draft.long,
                "synonyms": ", ".join(draft.synonyms),
                "definition": draft.definition,
            }
        )
    status, current = 200, None
    term_id = term.id if term is not None else None
    if request.method == "POST" and form.validate_on_submit():
        note = (form.note.data or "").strip()
        try:
            if term is None:
                saved = glossary.add_term(form.draft(), note, current_user)
            else:
                saved = glossary.save_term(
                    term, form.draft(), form.expected_version(), note, current_user
                )
        except (FieldErrors, Conflict) as error:
            status = show_refusal(form, error)
            if isinstance(error, Conflict) and term_id is not None:
                # What is saved now; the next save is checked against it.
                current = db.session.get(GlossaryTerm, term_id, populate_existing=True)
                if current is None:
                    flash("Ordet er fjernet fra ordlisten af en anden.", "error")
                    return redirect(url_for("kb.glossary"))
                form.version.data = current.version
        else:
            flash(f"«{saved.term}» er gemt i ordlisten. {LATER}", "success")
            return redirect(_anchor(saved))
    elif request.method == "POST":
        form.form_errors.append("Formularen er udløbet. Genindlæs siden, og prøv igen.")
        status = 400
    remove = RemoveForm(formdata=None, prefix="fjern", version=term.version) if term else None
    return render_template(
        "kb/glossary_edit.html", form=form, term=term, remove=remove, current=current
    ), status


@role_required(Role.EDITOR)
def new():
    glossary.glossary_page()  # 404 until the content is loaded
    return _edit(None)


@role_required(Role.EDITOR)
def edit(slug: str):
    return _edit(glossary.get_term(slug))


@role_required(Role.EDITOR)
def remove(slug: str):
    term = glossary.get_term(slug)
    form = RemoveForm(prefix="fjern")
    if not form.validate_on_submit():
        flash("Sæt kryds for at bekræfte, at ordet skal fjernes.", "error")
        return redirect(url_for("kb.glossary_edit", slug=slug))
    word = term.term
    try:
        glossary.remove_term(term, form.expected_version(), "", current_user)
    except Conflict as error:
        flash_refusal(error)
        return redirect(url_for("kb.glossary_edit", slug=slug))
    flash(f"«{word}» er fjernet fra ordlisten. {LATER}", "success")
    return redirect(url_for("kb.glossary"))
