"""How news is found: only public items have a search document."""

from __future__ import annotations

import sqlalchemy as sa

from portal.db import utcnow
from portal.extensions import db
from portal.news.models import NewsItem
from portal.search import SearchDocument, Source, every_word_in
from portal.text import plain_text


def document(item: NewsItem) -> SearchDocument:
    return SearchDocument(
        source="news",
        key=str(item.id),
        kind="nyheder",
        title=item.title,
        url=f"/nyheder/{item.slug}",
        administration=item.administration,
        summary=item.summary,
        body=plain_text(item.body_html),
    )


def load(key: str) -> SearchDocument | None:
    item = db.session.get(NewsItem, int(key))
    if item is None or not item.is_public():
        return None
    return document(item)


def _public():
    return sa.and_(NewsItem.status == "published", NewsItem.published_at <= utcnow())


def all_keys() -> list[str]:
    return [str(i) for i in db.session.scalars(sa.select(NewsItem.id).where(_public()))]


def fallback(words: list[str]) -> list[SearchDocument]:
    """A plain database search, used only while the index cannot be."""
    query = (
        sa.select(NewsItem)
        .where(_public())
        .where(*every_word_in(words, NewsItem.title, NewsItem.summary, NewsItem.body_source))
    )
    return [document(i) for i in db.session.scalars(query.limit(200))]


SOURCE = Source(
    name="news",
    models=(NewsItem,),
    key_of=lambda item: item.id,
    load=load,
    all_keys=all_keys,
    fallback=fallback,
)
