"""Contact persons as data for other programs: JSON, vCard 3.0 and CSV (for Excel). Each is
built from what the viewer may see (``presenter.visible``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import vobject

from portal.administration import Administration
from portal.contacts.presenter import ContactView

CSV_HEADER = [
    "Navn",
    "Stilling",
    "Forvaltning",
    "Center/enhed",
    "Team",
    "Arbejdssted",
    "E-mail",
    "Telefon",
    "Kan hjælpe med",
    "Bekræftet",
]
# A cell starting with one of these would run as a formula in Excel (OWASP's CSV injection
# list), unless it is a plain phone number: a plus, digits and spaces cannot call anything.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_NUMBER = re.compile(r"\+\d[\d ]*")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never evaluate it: a formula gets an apostrophe
    in front; a phone number such as "+45 30 12 34 56" is left alone."""
    if cell.startswith(FORMULA_STARTS) and not PHONE_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def as_json(person: ContactView) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "job_title": person.job_title,
        "administration": person.administration,
        "centre": person.centre,
        "team": person.team,
        "workplace": person.workplace,
        "email": person.email,
        "phone": person.phone,
        "areas": list(person.areas),
        "updated": person.updated_at.isoformat(),
        "url": f"/kontaktpersoner/{person.id}",
        "demo": person.is_demo,
    }


def vcard(person: ContactView) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("fn").value = person.name
    parts = person.name.rsplit(" ", 1)
    card.add("n").value = vobject.vcard.Name(
        family=parts[-1], given=parts[0] if len(parts) > 1 else ""
    )
    card.add("email").value = person.email
    card.email.type_param = "WORK"
    if person.phone:
        card.add("tel").value = person.phone_shown
        card.tel.type_param = "WORK"
    organisation = Administration(person.administration).long_name
    card.add("org").value = [organisation, *(p for p in (person.centre, person.team) if p)]
    if person.job_title:
        card.add("title").value = person.job_title
    if person.workplace:
        card.add("adr").value = vobject.vcard.Address(street=person.workplace)
        card.adr.type_param = "WORK"
    card.add("note").value = "BIF-SOF-kontaktperson" + (" (demodata)" if person.is_demo else "")
    return card


def vcards(people: Iterable[ContactView]) -> str:
    return "".join(vcard(p).serialize() for p in people)


def _csv_row(person: ContactView) -> list[str]:
    confirmed = person.confirmed_at.date().isoformat() if person.confirmed_at else ""
    row = [
        person.name,
        person.job_title,
        person.administration,
        person.centre,
        person.team,
        person.workplace,
        person.email,
        person.phone_shown,
        ", ".join(person.areas),
        confirmed,
    ]
    return [spreadsheet_safe(c) for c in row]


def csv_text(people: Iterable[ContactView]) -> str:
    """Semicolon-separated, with a byte order mark so that Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_row(p) for p in people)
    return "\ufeff" + out.getvalue()
