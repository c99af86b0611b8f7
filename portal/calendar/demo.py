"""Demo meetings for ``portal setup --demo``: a year of the special unit's meetings, from the
day the demo is set up. The kinds of meeting and how often they are held come from the source
documents; the dates, topics' wording and places are examples, marked as demo data."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from portal.administration import Administration
from portal.calendar import occurrences, services
from portal.calendar.eventdata import EventData
from portal.calendar.models import Event
from portal.extensions import db
from portal.timeutil import at_local, local_today

RAADHUS = "Københavns Rådhus, Rådhuspladsen 1, 1599 København V"
HOVEDBIBLIOTEK = "Københavns Hovedbibliotek, Krystalgade 15, 1172 København K"
ISLANDS_BRYGGE = "Kulturhuset Islands Brygge, Islands Brygge 18, 2300 København S"
RAADGIVNINGSCENTER = "Rådgivningscenter København"

NETWORK = """\
Specialenheden samler BIF-SOF-kontaktpersonerne fra begge forvaltninger hver tredje måned.

På mødet kan du

- møde de andre kontaktpersoner og lære deres enheder at kende,
- tage generelle spørgsmål og problemer fra dit team med, så de kommer videre til de rette,
- høre nyt fra specialenheden, som du kan give videre til dine kolleger.

Husk at tjekke, at din mailadresse, dit telefonnummer, dit team og dit arbejdssted er
opdateret i portalen.
"""

TEAM_LEADERS = """\
Teamchefer fra jobcentret og fra Socialforvaltningens enheder mødes hver tredje måned med
specialenheden om samarbejdet om de fælles borgere: hvad der virker, og hvor det driller.
"""

TALKS = [
    (
        "Grøn linie: sådan bruger du den",
        HOVEDBIBLIOTEK,
        "Et fagligt gå-hjem-møde om grøn linie: hvad den er, hvornår du bruger den, og hvad der "
        "sker, når du ringer. Med tid til spørgsmål.",
    ),
    (
        "Samarbejdsmodellen trin for trin",
        ISLANDS_BRYGGE,
        "Vi gennemgår samarbejdsmodellens syv trin: hvilke trin BIF har, hvilke SOF har, og hvor "
        "I skal tale sammen. Tag gerne en sag med i hovedet, som I vil drøfte (uden navne).",
    ),
    (
        "Når ydelsen stopper: besked fra BIF til SOF",
        RAADHUS,
        "BIF giver besked til SOF, når en fælles borgers ydelse stopper. Hør, hvordan beskeden "
        "kommer frem, og hvad socialcentret gør, når den er modtaget.",
    ),
]

INTRO = """\
Et introforløb for nye medarbejdere i BIF og SOF: de to forvaltningers opgaver, strategien for
de fælles borgere, samarbejdsmodellen, kontaktpersonerne og portalen.
"""

COORDINATION = """\
Rådgivningscentret indkalder jobcentrets faste medarbejdere til et fælles koordineringsmøde,
når der er sager nok (omkring 10-15), eller når der er særligt komplekse sager.

Sagerne drøftes på mødet. Skriv ikke borgeroplysninger i portalen.
"""


def _weekday_in_month(year: int, month: int, weekday: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _holiday(day: date) -> bool:
    """Christmas, New Year and July, when nobody holds meetings."""
    return day.month == 7 or (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 3)


def _next(today: date, weekday: int, nth: int, lead: int = 14) -> date:
    """The first ``nth`` ``weekday`` of a month at least ``lead`` days from today, outside
    the holidays."""
    year, month = today.year, today.month
    while True:
        day = _weekday_in_month(year, month, weekday, nth)
        if day >= today + timedelta(days=lead) and not _holiday(day):
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _event(title, kind, day, start, end, location, description, **more) -> Event:
    deadline_days = more.pop("deadline_days", None)
    data = EventData(
        title=title,
        kind=kind,
        administration=more.pop("administration", Administration.BOTH.value),
        day=day,
        start=start,
        end=end,
        location=location,
        description=description,
        is_demo=True,
        **more,
    )
    if deadline_days is not None:
        data.deadline = at_local(day - timedelta(days=deadline_days), time(12))
    return services.create_event(data, None)


def create_demo_events(today: date | None = None) -> str:
    if db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.is_demo.is_(True))):
        return "findes allerede"
    today = today or local_today()
    year_later = today + timedelta(days=365)
    network = _next(today, weekday=1, nth=2)  # the second Tuesday
    _event(
        "Netværksmøde for BIF-SOF-kontaktpersoner",
        "network",
        network,
        time(13),
        time(15, 30),
        RAADHUS,
        NETWORK,
        capacity=40,
        deadline_days=7,
        frequency="MONTHLY",
        interval=3,
        until=year_later,
    )
    leaders_day = _next(today + timedelta(days=31), weekday=3, nth=2)  # the second Thursday
    leaders = _event(
        "Teamchefnetværksmøde",
        "team_leaders",
        leaders_day,
        time(9),
        time(11),
        RAADHUS,
        TEAM_LEADERS,
        capacity=30,
        frequency="MONTHLY",
        interval=3,
        until=year_later,
    )
    second = occurrences.between(
        leaders, at_local(leaders_day + timedelta(days=1), time(0)), at_local(year_later, time(0))
    )[0]
    second_day = date.fromisoformat(second.key)  # an occurrence of a series has a date
    moved_to = second_day + timedelta(days=7)
    services.move(
        leaders, second_day, moved_to, time(9), time(11), HOVEDBIBLIOTEK, leaders.version, None
    )
    for number, (title, place, text) in enumerate(TALKS):
        day = _next(today + timedelta(days=60 * number), weekday=2, nth=3)  # third Wednesday
        talk = _event(
            f"Fagligt gå-hjem-møde: {title}",
            "talk",
            day,
            time(15),
            time(16, 30),
            place,
            text,
            capacity=35,
            deadline_days=3,
        )
        if number == 2:
            services.cancel(
                talk,
                None,
                "For få tilmeldte. Emnet kommer på igen senere på året.",
                talk.version,
                None,
            )
    _event(
        "Introforløb: BIF og SOF for nye medarbejdere",
        "course",
        _next(today, weekday=0, nth=1, lead=21),
        time(9),
        time(12),
        RAADHUS,
        INTRO,
        capacity=25,
        deadline_days=7,
    )
    _event(
        "Koordineringsmøde: Jobcenter København og Rådgivningscenter København",
        "coordination",
        _next(today, weekday=3, nth=4, lead=10),
        time(10),
        time(11, 30),
        RAADGIVNINGSCENTER,
        COORDINATION,
    )
    count = db.session.scalar(sa.select(sa.func.count(Event.id)).where(Event.is_demo.is_(True)))
    return f"{count} demomøder oprettet (heraf 2 serier)"
