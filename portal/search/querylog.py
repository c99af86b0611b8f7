"""The query log: each search kept, without anything that looks like a CPR number, a phone
number or an e-mail address, for the editors' statistics (the most frequent searches, and
those that found nothing); written in batches (``portal/batches.py``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from portal.cpr import without_cpr
from portal.db import utcnow
from portal.extensions import db
from portal.search.models import SearchLog

# An e-mail address, and six or more digits however they are grouped ("30 13 01 07", a CPR
# number in disguise): search finds a person by number or address, and someone may type a
# citizen's; the statistics need neither.
_ADDRESS = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\+?\d(?:[\s().-]*\d){5,}")
_LEFT_OVER = re.compile(r"[()+.-]+")  # what a removed number was written with: "(+45)"


def clean_for_log(text: str) -> str:
    """Lowercase and shortened, without anything that looks like a CPR number, a phone number
    or an e-mail address."""
    text = _DIGITS.sub(" ", _ADDRESS.sub(" ", without_cpr(text).lower()))
    return " ".join(w for w in text.split() if not _LEFT_OVER.fullmatch(w))[:200]


LOG = "portal_search_log"  # the searches not yet written (``portal/batches.py``)


def log_query(text: str, results: int) -> None:
    """Keep one search for the editors' statistics; the log is written in batches."""
    cleaned = clean_for_log(text)
    if cleaned:
        current_app.extensions[LOG].add((cleaned, results, utcnow()))


def write_log(counts: Counter) -> None:
    rows = [
        {"query": query, "results": results, "at": at}
        for (query, results, at), n in counts.items()
        for _ in range(n)
    ]
    db.session.execute(sa.insert(SearchLog), rows)  # one statement for the batch


@dataclass
class SearchStats:
    searches: int
    without_results: int
    top: list[tuple[str, int]]
    top_without_results: list[tuple[str, int]]


def stats(days: int = 90, limit: int = 20) -> SearchStats:
    since = utcnow() - timedelta(days=days)
    recent = SearchLog.at >= since

    def top(*conditions):
        rows = db.session.execute(
            sa.select(SearchLog.query, sa.func.count().label("n"))
            .where(recent, *conditions)
            .group_by(SearchLog.query)
            .order_by(sa.desc("n"), SearchLog.query)
            .limit(limit)
        ).all()
        return [(row.query, row.n) for row in rows]

    count = sa.select(sa.func.count(SearchLog.id)).where(recent)
    return SearchStats(
        searches=db.session.scalar(count) or 0,
        without_results=db.session.scalar(count.where(SearchLog.results == 0)) or 0,
        top=top(),
        top_without_results=top(SearchLog.results == 0),
    )
