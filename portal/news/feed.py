"""The Atom feed of public news (feedgen). Ids are tag: URIs that never change with the host
or the title; ``updated`` is the last change a reader can see."""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from flask import url_for

from portal.db import utcnow
from portal.news.models import NewsItem

FEED_ID = "tag:bif-sof-portalen,2026:nyheder"


def entry_id(item: NewsItem) -> str:
    return f"{FEED_ID}/{item.id}"


def atom(items: list[NewsItem]) -> bytes:
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title("Nyheder fra BIF-SOF Portalen")
    fg.subtitle("Nyt fra BIF-SOF specialenheden til medarbejdere i BIF og SOF")
    fg.author({"name": "BIF-SOF specialenheden"})
    fg.language("da")
    fg.link(href=url_for("news.index", _external=True), rel="alternate")
    fg.link(href=url_for("news.feed", _external=True), rel="self")
    fg.updated(max((i.changed_at for i in items), default=utcnow()))
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(entry_id(item))
        entry.title(item.title)
        entry.link(href=url_for("news.item", slug=item.slug, _external=True), rel="alternate")
        entry.published(item.published_at)
        entry.updated(item.changed_at)
        if item.summary:
            entry.summary(item.summary)
        entry.content(item.body_html, type="html")
        entry.category(term=item.administration, label=item.administration_label)
    return fg.atom_str(pretty=True)
