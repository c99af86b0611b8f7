from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.extensions import db
from portal.news import services
from portal.news.models import NewsItem


@pytest.fixture
def make_news(app):
    """Factory: ``make_news("Titel", published=-1)`` creates an item, published that many days
    from now (negative: in the past; None: a draft), and returns its id."""

    def factory(title="En nyhed", published=-1, **fields):
        data = services.NewsData(
            title=title,
            summary=fields.pop("summary", "Resumé."),
            body=fields.pop("body", "Tekst om **noget**."),
            **fields,
        )
        with app.app_context():
            item = services.create(data, actor=None)
            if published is not None:
                now = utcnow()
                if published > 0:
                    services.publish(item, None, at=now + timedelta(days=published))
                else:
                    services.publish(item, None, now=now + timedelta(days=published))
            db.session.commit()
            return item.id

    return factory


@pytest.fixture
def get_news(app):
    def get(item_id):
        with app.app_context():
            item = db.session.get(NewsItem, item_id)
            db.session.expunge(item)
            return item

    return get
