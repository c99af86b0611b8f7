from flask_wtf import FlaskForm
from wtforms import SelectField

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
