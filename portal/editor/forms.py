from flask_wtf import FlaskForm
from wtforms import SelectField


class ShortcutForm(FlaskForm):
    page = SelectField("Vejviser eller sagsgang", choices={}, coerce=int, validate_choice=False)
