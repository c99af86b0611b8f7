"""The edit form of a guide or procedure. Its fields are the front matter's words; checking
them is ``editing.check`` (the same schema as the content files)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)

from portal.administration import CHOICES
from portal.forms import VersionedForm
from portal.kb.editing import Draft

MODEL_STEPS = {"": "Ingen", **{str(n): f"Trin {n}" for n in range(1, 8)}}


class StepForm(Form):
    """One step of a procedure (a sub-form: the page form's CSRF token covers it)."""

    owner = SelectField("Hvem har trinnet", choices=CHOICES, default="both", validate_choice=False)
    title = StringField("Trinnets titel")
    text = TextAreaField("Hvad sker der (Markdown)")
    deadline = StringField("Frist")
    document = StringField("Dokument eller skema")
    contact = StringField("Kontakt", render_kw={"list": "kontakter"})
    model_step = SelectField(
        "Trin i samarbejdsmodellen", choices=MODEL_STEPS, default="", validate_choice=False
    )


class PageForm(VersionedForm):
    revision = HiddenField()  # the latest revision when the form was opened
    title = StringField("Titel")
    slug = StringField("Adresse")
    summary = TextAreaField("Resumé (vises i lister og i søgningen)")
    administration = SelectField("Forvaltning", choices=CHOICES, validate_choice=False)
    category = StringField("Kategori")
    tags = StringField("Emner (adskilt af komma)")
    owner = SelectField("Ejer (holder siden opdateret)", choices=[], validate_choice=False)
    related = StringField("Relaterede sider (adresser adskilt af komma)")
    trigger = TextAreaField("Hvornår bruges sagsgangen")
    follows_model = BooleanField("Følger samarbejdsmodellens syv trin")
    body = TextAreaField("Tekst (Markdown)")
    review_days = StringField("Gennemgås hver (antal dage)")
    steps = FieldList(FormField(StepForm))
    note = StringField("Hvad har du ændret? (vises i historikken)")

    def draft(self) -> Draft:
        return Draft(
            slug=(self.slug.data or "").strip(),
            title=self.title.data or "",
            summary=self.summary.data or "",
            administration=self.administration.data or "",
            category=self.category.data or "",
            owner=self.owner.data or "",
            body=self.body.data or "",
            tags=_split(self.tags.data),
            related=_split(self.related.data),
            trigger=self.trigger.data,
            follows_model=bool(self.follows_model.data),
            review_days=_number(self.review_days.data),
            steps=[
                {
                    "owner": s.form.owner.data,
                    "title": s.form.title.data,
                    "text": s.form.text.data,
                    "deadline": s.form.deadline.data,
                    "document": s.form.document.data,
                    "contact": s.form.contact.data,
                    "model_step": _number(s.form.model_step.data),
                }
                for s in self.steps
            ],
        )


def _number(raw: str | None) -> str | None:
    """A number as typed, or None when empty: the schema reads it (and refuses what is not)."""
    return (raw or "").strip() or None


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]
