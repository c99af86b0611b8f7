from flask_wtf import FlaskForm
from wtforms import BooleanField


class SettingsForm(FlaskForm):
    """One checkbox per optional kind of mail (``preferences.OPTIONAL``)."""

    reminder = BooleanField()
    review_digest = BooleanField()
    news_digest = BooleanField()
