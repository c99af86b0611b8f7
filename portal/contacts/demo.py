"""Fictional demo contact persons (``portal setup --demo``), spread over the real units of the
source documents, which become the editors' lists of centres and teams (with one proposed team
awaiting approval). Every person is marked as demo data; none is a real person."""

from __future__ import annotations

import random
from datetime import timedelta

from portal.auth import services as auth
from portal.contacts import invitations, lists, profiles, units
from portal.contacts.models import Centre, ContactProfile, Team
from portal.db import utcnow
from portal.extensions import db

UNITS = [
    ("BIF", "Jobcenter København", ["Team Indsatsklar", "Team Midlertidigt passiv", "Hotline"]),
    ("BIF", "Jobcenter København, callcenter", ["Hotline til SOF"]),
    ("BIF", "Center for Beskæftigelse, Sprog og Integration (CBSI)", ["Team Integration"]),
    (
        "SOF",
        "Socialcentrets voksenenheder",
        ["Voksenteam Nord", "Voksenteam Syd", "Voksenteam Vest"],
    ),
    ("SOF", "Rådgivningscenter København, behandlingsenheden", ["Behandlingsteam"]),
    ("SOF", "Rådgivningscenter København, modtageenheden", ["Modtagelsen"]),
    ("SOF", "Handicapcentrets voksenenhed", ["Team Voksne"]),
    ("SOF", "BIF-SOF specialenheden", ["Specialenheden"]),
]
TITLES = {
    "BIF": ["Jobkonsulent", "Sagsbehandler", "Teamleder"],
    "SOF": ["Socialrådgiver", "Sagsbehandler", "Teamleder"],
}
AREAS = [
    "grøn linie",
    "social handleplan",
    "jobplan",
    "misbrug",
    "hjemløshed",
    "handicap",
    "samtykke",
    "tilbudspakker",
    "sanktioner",
    "koordineringsmøder",
    "psykiatri",
    "kvinder med anden etnisk baggrund",
]
FIRST = [
    "Anne",
    "Mette",
    "Ali",
    "Søren",
    "Birgitte",
    "Jonas",
    "Fatima",
    "Ole",
    "Ida",
    "Åse",
    "Emil",
    "Zainab",
    "Lars",
    "Karen",
    "Mads",
    "Ølstrup",
    "Aase",
    "Henrik",
    "Nadia",
    "Per",
    "Sofie",
    "Thomas",
]
LAST = [
    "Demo-Andersen",
    "Demo-Østergaard",
    "Demo-Hansen",
    "Demo-Aagaard",
    "Demo-Ærtebjerg",
    "Demo-Jensen",
    "Demo-Nielsen",
    "Demo-Zahle",
    "Demo-Åkesson",
    "Demo-Larsen",
]
COUNT = 44
DEMO_CONTACT_LOGIN = "kontakt@example.com"
# A team one demo person proposed, for the editors to approve, reject or merge.
PROPOSED = ("Socialcentrets voksenenheder", "Voksenteam Øst")


def _lists() -> dict[str, Centre]:
    """The centres and teams of ``UNITS``, by centre name."""
    found = {}
    for administration, name, teams in UNITS:
        centre = units.add_centre(name, administration, actor=None)
        for team in teams:
            units.add_team(centre, team, actor=None)
        found[name] = centre
    return found


def email(number: int) -> str:
    """The login of demo contact person ``number`` (1 to ``COUNT``)."""
    return f"demo.kontakt.{number}@example.com"


def create() -> str:
    if auth.get_by_email(email(1)) is not None:
        return "findes allerede"
    rng = random.Random(2010)  # noqa: S311 (repeatable demo data, not security)
    now = utcnow()
    centres = _lists()
    for number in range(1, COUNT + 1):
        administration, centre, teams = UNITS[number % len(UNITS)]
        profile = invitations.create_contact(
            {
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "email": email(number),
                "administration": administration,
                "centre": centre,
                "team": rng.choice(teams),
                "job_title": rng.choice(TITLES[administration]),
                "workplace": f"Demoadresse {number}, København",
                "phone": f"+45 30 {12 + number:02d} {number:02d} {(number * 7) % 100:02d}",
                "areas": rng.sample(AREAS, rng.randint(1, 3)),
                "about": "Fiktiv person: demodata til afprøvning af portalen.",
            },
            actor=None,
            is_demo=True,
        )
        # Some profiles have not been confirmed for a long time: the editors chase them.
        profile.confirmed_at = now - timedelta(days=rng.choice([3, 40, 90, 200, 400]))
    _propose(profile, centres[PROPOSED[0]])
    own = auth.get_by_email(DEMO_CONTACT_LOGIN)
    if own is not None and profiles.profile_of(own) is None:
        profile = ContactProfile(
            user=own,
            administration="SOF",
            email=own.email,
            is_demo=True,
            centre=centres["Socialcentrets voksenenheder"],
            team=_team(centres["Socialcentrets voksenenheder"], "Voksenteam Nord"),
            job_title="Socialrådgiver",
            phone="+4530129999",
            about="Demologin: fiktiv person.",
            confirmed_at=now - timedelta(days=200),
        )
        db.session.add(profile)
        db.session.flush()
    return f"{COUNT} fiktive kontaktpersoner i {len(centres)} centre"


def _team(centre: Centre, name: str) -> Team:
    return next(t for t in centre.teams if t.name == name)


def _propose(profile: ContactProfile, centre: Centre) -> None:
    """The last demo person moves to ``centre`` and proposes a team there, as a contact would
    on /min-profil."""
    if profile.administration != centre.administration:
        return
    profiles.update_profile(
        profile,
        {"centre": centre, "team": lists.NewTeam(PROPOSED[1])},
        profile.version,
        profile.user,
        ("centre", "team"),
    )
