"""The audit trail of every feature for administrators: who did what, when; filtered by the
acting person, the kind of object (feature) and a date range, newest first, a page at a time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.audit import AuditEntry
from portal.extensions import db
from portal.security import ROLE_LABELS, Role
from portal.text import danish_sort_key
from portal.timeutil import at_local, local

PAGE_SIZE = 50

# The object types features write, by feature; an unknown type is shown as it is stored.
OBJECT_TYPES = {
    "user": "Brugere og login",
    "contact": "Kontaktpersoner",
    "page": "Vejviser og sagsgange",
    "page_feedback": "Tilbagemeldinger på sider",
    "news": "Nyheder",
    "event": "Kalender",
    "calendar_feed": "Kalenderlinks til Outlook",
    "shortcut": "Redaktion (genveje)",
    "route": "Afviste forespørgsler",
    "contact_centre": "Centre",
    "contact_team": "Teams",
    "contact_area": "Kan hjælpe med (områder)",
    "glossary_term": "Ordliste",
    "sso": "Single sign-on",
}

ACTIONS = {
    "create": "oprettet",
    "update": "ændret",
    "delete": "slettet",
    "erase": "slettet helt",
    "deactivate": "deaktiveret",
    "reactivate": "genaktiveret",
    "confirm": "bekræftet",
    "login": "logget ind",
    "login_failed": "mislykket login",
    "logout": "logget ud",
    "logout_everywhere": "logget ud overalt",
    "set_password": "adgangskode sat",
    "password_change_failed": "forkert nuværende adgangskode",
    "change_role": "rolle ændret",
    "invite": "invitationslink lavet",
    "reset_link": "link til ny adgangskode lavet",
    "forbidden": "adgang nægtet",
    "publish": "udgivet",
    "schedule": "planlagt",
    "unpublish": "trukket tilbage",
    "announce": "annonceret",
    "passed_on": "sendt videre",
    "move": "flyttet",
    "cancel": "aflyst",
    "register": "tilmeldt",
    "unregister": "afmeldt",
    "promote": "rykket op fra venteliste",
    "handle": "behandlet",
    "revoke": "tilbagekaldt",
    "edit": "redigeret",
    "restore": "gendannet",
    "review": "gennemgået",
    "sync": "indlæst fra fil",
    "sync_unpublish": "afpubliceret (filen er fjernet)",
    "glossary_add": "tilføjet",
    "glossary_edit": "rettet",
    "glossary_remove": "fjernet",
    "propose": "foreslået",
    "withdraw": "forslag trukket tilbage",
    "approve": "godkendt",
    "reject": "afvist",
    "merge": "lagt sammen",
    "rename": "omdøbt",
    "mail_preference": "mailvalg ændret",
    "role": "rolle ændret",
    "sso_created": "oprettet ved single sign-on",
    "sso_linked": "koblet til single sign-on",
    "sso_refused": "single sign-on afvist",
}


# The fields entries name, in Danish; an unknown field is shown as it is stored.
FIELDS = {
    "name": "navn",
    "title": "titel",
    "role": "rolle",
    "active": "aktiv",
    "email": "e-mail",
    "phone": "telefon",
    "job_title": "stilling",
    "administration": "forvaltning",
    "centre": "center",
    "team": "team",
    "workplace": "arbejdssted",
    "areas": "kan hjælpe med",
    "about": "kort om mig",
    "photo": "foto",
    "page": "side",
    "reply": "svar",
    "fields": "felter",
    "status": "status",
    "starts_at": "start",
    "ends_at": "slut",
    "location": "sted",
    "description": "beskrivelse",
    "capacity": "pladser",
    "cancel_reason": "grund til aflysning",
    "published_at": "udgives",
    "forgotten": "glemt adgangskode",
    "issuer": "udsteder",
    "reason": "grund",
    "sso": "single sign-on",
}
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?")


def change(entry: AuditEntry) -> str:
    """'rolle: Medarbejder → Kontaktperson', not 'role: staff → contact'."""
    if not entry.field:
        return ""
    old, new = _shown(entry.field, entry.old_value), _shown(entry.field, entry.new_value)
    return f"{FIELDS.get(entry.field, entry.field)}: {old} → {new}"


def _shown(field: str, value: str | None) -> str:
    if value is None or value == "":
        return "–"
    if value in ("True", "False"):
        return "ja" if value == "True" else "nej"
    if field == "role" and value in ROLE_LABELS:
        return ROLE_LABELS[Role(value)]
    if _STAMP.fullmatch(value):
        stamp = datetime.fromisoformat(value)
        return f"{local(stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)):%d.%m.%Y %H.%M}"
    return value


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _page(raw: str | None) -> int:
    return max(1, min(int(raw), 10_000)) if raw and raw.isdigit() else 1


@dataclass(frozen=True)
class LogFilters:
    actor: str = ""
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> LogFilters:
        errors = {}
        raw_from, raw_to = args.get("fra", ""), args.get("til", "")
        date_from, date_to = _day(raw_from), _day(raw_to)
        if raw_from and date_from is None:
            errors["fra"] = "Skriv datoen som åååå-mm-dd."
        if raw_to and date_to is None:
            errors["til"] = "Skriv datoen som åååå-mm-dd."
        if date_from and date_to and date_to < date_from:
            errors["til"] = "Til-datoen er før fra-datoen."
        return cls(
            actor=args.get("person", "")[:200],
            object_type=args.get("type", "")[:40],
            date_from=date_from,
            date_to=date_to,
            page=_page(args.get("side")),
            errors=errors,
        )

    def as_args(self) -> dict[str, str]:
        pairs = {
            "person": self.actor,
            "type": self.object_type,
            "fra": self.date_from.isoformat() if self.date_from else "",
            "til": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class LogPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def entries(filters: LogFilters) -> LogPage:
    query = sa.select(AuditEntry)
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.date_from and "fra" not in filters.errors:
        query = query.where(AuditEntry.at >= at_local(filters.date_from, time.min))
    if filters.date_to and "til" not in filters.errors:
        next_day = filters.date_to + timedelta(days=1)
        query = query.where(AuditEntry.at < at_local(next_day, time.min))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    rows = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return LogPage(list(rows), total, page, pages)


def actors() -> list[str]:
    """Everyone who appears as the acting person, in Danish order."""
    found = db.session.scalars(sa.select(AuditEntry.actor).distinct())
    return sorted(found, key=danish_sort_key)


def object_types() -> list[tuple[str, str]]:
    """(type, Danish label) for every type in the trail and every known one."""
    stored = set(db.session.scalars(sa.select(AuditEntry.object_type).distinct()))
    return sorted(
        ((t, OBJECT_TYPES.get(t, t)) for t in stored | set(OBJECT_TYPES)),
        key=lambda pair: danish_sort_key(pair[1]),
    )
