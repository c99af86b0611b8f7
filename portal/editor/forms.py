from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField

from portal.kb.models import Page


class ShortcutForm(FlaskForm):
    page = SelectField("Vejviser eller sagsgang", choices={}, coerce=int, validate_choice=False)

    def offer(self, pages: list[Page]) -> None:
        """The pages to choose from, grouped as the menu shows them."""
        groups: dict[str, list[tuple[int, str]]] = {"Vejviser": [], "Sagsgange": []}
        for page in pages:
            groups["Vejviser" if page.kind == "guide" else "Sagsgange"].append(
                (page.id, page.title)
            )
        self.page.choices = groups


class PreviewForm(FlaskForm):
    """Markdown to show as it will look: news and pages share the preview."""

    body = TextAreaField()
    glossary = HiddenField()  # "1": mark glossary terms, as a page does
