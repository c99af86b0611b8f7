"""Demo news (``portal setup --demo``), written from the source documents' events: the special
unit's start, the Vejviser, the hotline and "grøn linie". No people are named."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.db import utcnow
from portal.extensions import db
from portal.news import services
from portal.news.models import NewsItem
from portal.news.services import NewsData
from portal.timeutil import local_today

ITEMS = [
    # (days ago: None = draft, negative = scheduled), data
    (
        400,
        NewsData(
            title="BIF-SOF specialenheden er etableret",
            summary="Fra 1. juli 2009 har BIF og SOF en fælles specialenhed for de fælles borgere.",
            body="BIF-SOF specialenheden er etableret pr. 1. juli 2009. Enheden skal styrke "
            "samarbejdet mellem Beskæftigelses- og Integrationsforvaltningen og "
            "Socialforvaltningen om de borgere, som begge forvaltninger arbejder med.\n\n"
            "Enheden holder fokus på den fælles strategi og på at dele viden mellem de to "
            "forvaltninger.",
        ),
    ),
    (
        200,
        NewsData(
            title="Hotline til SOF's medarbejdere i jobcentrets callcenter",
            summary="SOF's medarbejdere kommer direkte igennem til en kvalificeret medarbejder.",
            body="BIF har oprettet en hotline i callcenteret til SOF's medarbejdere om de fælles "
            "borgere.\n\nHotlinen bygger på et *whitelist*-princip: systemet genkender "
            "SOF-telefonnumre og stiller direkte om til en kvalificeret medarbejder i "
            "callcenteret.",
            pass_on=True,
        ),
    ),
    (
        2,
        NewsData(
            title="Ny BIF-SOF Vejviser: find vej i den anden forvaltning",
            summary="Vejviseren fra juni 2010 er nu en del af portalen.",
            body="BIF-SOF specialenheden udgav BIF-SOF Vejviseren i juni 2010 som et værktøj, der "
            "skal forbedre medarbejdernes kendskab til den anden forvaltning.\n\n"
            "Nu ligger Vejviseren her på portalen, hvor den kan søges i og holdes opdateret.",
            pinned_until=None,  # pinned below, relative to today
        ),
    ),
    (
        -7,
        NewsData(
            title="Grøn linie for særligt udsatte borgere",
            summary="BIF og SOF indfører en grøn linie for særligt udsatte målgrupper.",
            body="Begge forvaltninger har aftalt at indføre en ”grøn linie” for særligt udsatte "
            "målgrupper. Det er en konkret, individuel vurdering, hvilke borgere der skal "
            "tilbydes den.\n\nLæs mere i Vejviseren under *grøn linie*.",
            administration="both",
        ),
    ),
    (
        None,
        NewsData(
            title="Kladde: status på sociale handleplaner",
            summary="Tal for de sociale handleplaner, der er udarbejdet for fælles borgere.",
            body="I 2009 blev der udarbejdet i alt 1160 sociale handleplaner for fælles borgere.",
            administration="SOF",
        ),
    ),
]


def create() -> str:
    if db.session.scalar(sa.select(sa.func.count(NewsItem.id))):
        return "findes allerede"
    now = utcnow()
    for days_ago, data in ITEMS:
        if data.title.startswith("Ny BIF-SOF Vejviser"):
            data.pinned_until = local_today(now) + timedelta(days=30)
        item = services.create(data, actor=None)
        if days_ago is None:
            continue
        if days_ago < 0:  # scheduled in the future
            services.publish(item, None, at=now + timedelta(days=-days_ago))
        else:
            services.publish(item, None, now=now - timedelta(days=days_ago))
    return f"{len(ITEMS)} nyheder (1 fastgjort, 1 planlagt, 1 kladde, 1 til videreformidling)"
