"""How contact persons are found: one search document per active profile (key: user id)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.auth.models import User
from portal.contacts.models import Centre, ContactProfile, Team
from portal.contacts.phones import clean_phone
from portal.contacts.presenter import visible
from portal.extensions import db
from portal.search import SearchDocument, Source, every_word_in


def document(profile: ContactProfile) -> SearchDocument:
    """Search is open to everyone: the document holds what anyone may see."""
    person = visible(profile, None)
    facts = [person.job_title, person.centre, person.team]
    return SearchDocument(
        source="contact",
        key=str(profile.user_id),
        kind="kontaktpersoner",
        title=person.name,
        name=person.name,
        url=f"/kontaktpersoner/{person.id}",
        administration=person.administration,
        summary=" · ".join(f for f in facts if f),
        body="\n".join([person.workplace, person.about, *person.areas]),
        tags=person.areas,
    )


def load(key: str) -> SearchDocument | None:
    profile = db.session.scalar(sa.select(ContactProfile).where(ContactProfile.user_id == int(key)))
    if profile is None or not profile.active:
        return None
    return document(profile)


def all_keys() -> list[str]:
    rows = db.session.scalars(
        sa.select(ContactProfile.user_id).join(User).where(User.active.is_(True))
    )
    return [str(r) for r in rows]


def fallback(words: list[str]) -> list[SearchDocument]:
    columns = (User.name, ContactProfile.job_title, Centre.name, ContactProfile.about)
    query = (
        sa.select(ContactProfile)
        .join(User)
        .outerjoin(Centre, ContactProfile.centre_id == Centre.id)
        .where(User.active.is_(True), *every_word_in(words, *columns))
    )
    return [document(p) for p in db.session.scalars(query.limit(100))]


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w+")


def naming(text: str) -> sa.ColumnElement[bool] | None:
    """A query that is a whole Danish phone number ("30 13 01 07", "+4530130107") or an e-mail
    address names the contact person who has it, as anyone sees it on the profile: the
    condition for that profile, else None."""
    text = text.strip()
    if EMAIL.fullmatch(text):
        return sa.func.lower(ContactProfile.email) == text.lower()
    phone, problem = clean_phone(text) if sum(c.isdigit() for c in text) >= 8 else ("", "")
    return ContactProfile.phone == phone if phone and not problem else None


def named(text: str) -> list[SearchDocument] | None:
    condition = naming(text)
    if condition is None:
        return None
    query = sa.select(ContactProfile).join(User).where(User.active.is_(True), condition)
    return [document(p) for p in db.session.scalars(query.limit(20))]


def _key_of(obj) -> int | None:
    if isinstance(obj, ContactProfile):
        return obj.user_id
    # A user: only a change of name or of active state reaches the directory's search.
    state = sa.inspect(obj)
    if state.attrs.name.history.has_changes() or state.attrs.active.history.has_changes():
        return obj.id
    return obj.id if state.was_deleted else None  # an erased user leaves the index


def _people_in(entry: Centre | Team, deleted: bool) -> list[int]:
    """A renamed centre or team, or a team approved, changes its people's documents (a merged
    or rejected one has moved its people first: their own changes reindex them)."""
    state: sa.orm.InstanceState[Centre | Team] = sa.inspect(entry)
    changed = state.attrs.name.history.has_changes() or (
        isinstance(entry, Team) and state.attrs.approved.history.has_changes()
    )
    if entry.id is None or deleted or not changed or state.session is None:
        return []
    column = ContactProfile.centre_id if isinstance(entry, Centre) else ContactProfile.team_id
    return list(state.session.scalars(sa.select(ContactProfile.user_id).where(column == entry.id)))


SOURCE = Source(
    name="contact",
    models=(ContactProfile, User),
    key_of=_key_of,
    load=load,
    all_keys=all_keys,
    fallback=fallback,
    related=((Centre, _people_in), (Team, _people_in)),
    named=named,
)
