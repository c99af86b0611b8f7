"""Reminding contact persons to keep their profile true: a mail when it has gone unconfirmed
for ``PROFILE_STALE_DAYS``, again every ``PROFILE_REMINDER_EVERY_DAYS``, at most
``PROFILE_REMINDERS_MAX`` times; after the last one has had its time, the special unit is told.

Each mail's key names the profile, the confirmation it chases and the reminder's number, so a
daily ``portal jobs run`` sends each one once, and a confirmation starts the count again. The
mail's one-click link is signed, works once (it names the confirmation it chases) and for as
long as the next reminder takes; opening it only shows a button, so a mail scanner that
fetches the link confirms nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal import mail
from portal.auth.links import InvalidLink
from portal.auth.mails import editor_recipients
from portal.contacts import profiles
from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import MailMessage
from portal.routing import absolute_url
from portal.templating import dato

SALT = "profile-confirm"


def _every() -> timedelta:
    return timedelta(days=current_app.config["PROFILE_REMINDER_EVERY_DAYS"])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _chased(profile: ContactProfile) -> str:
    """The confirmation a link chases: a new one makes the link used."""
    return hashlib.sha256(profile.confirmed_at.isoformat().encode()).hexdigest()[:16]


def confirm_token(profile: ContactProfile) -> str:
    return _serializer().dumps({"p": profile.id, "c": _chased(profile)})


def profile_for(token: str) -> ContactProfile:
    """:raises InvalidLink: (Danish) if the link is unknown, expired, used, or its person
    has left."""
    try:
        data = _serializer().loads(token, max_age=int(_every().total_seconds()))
    except SignatureExpired as exc:
        raise InvalidLink(
            "Linket er udløbet. Log ind, og bekræft dine oplysninger under Min profil."
        ) from exc
    except BadSignature as exc:
        raise InvalidLink() from exc
    profile = db.session.get(ContactProfile, data.get("p")) if isinstance(data, dict) else None
    if profile is None or not profile.user.active:
        raise InvalidLink()
    if data.get("c") != _chased(profile):
        raise InvalidLink("Linket er allerede brugt: dine oplysninger er bekræftet.")
    return profile


def confirm_by_link(token: str) -> ContactProfile:
    """The person confirms from the mail: the link stands for their login.

    :raises InvalidLink: as ``profile_for``.
    """
    profile = profile_for(token)
    profiles.confirm(profile, profile.user)
    return profile


def _remind(profile: ContactProfile, number: int) -> bool:
    return (
        mail.queue(
            key=f"profile-reminder:{profile.id}:{_chased(profile)}:{number}",
            kind="reminder",
            to=profile.email,
            name=profile.user.name,
            user=profile.user,
            template="profile_reminder",
            subject="Er dine oplysninger som kontaktperson stadig rigtige?",
            unsubscribe=True,
            context={
                "confirmed": dato(profile.confirmed_at),
                "confirm_link": absolute_url(
                    "contacts.confirm_by_link", token=confirm_token(profile)
                ),
                "profile_link": absolute_url("contacts.my_profile"),
                "link_days": _every().days,
            },
        )
        is not None
    )


def _tell_editors(profile: ContactProfile, reminders: int) -> int:
    told = 0
    for address, name, user in editor_recipients():
        told += (
            mail.queue(
                key=f"profile-stale:{profile.id}:{_chased(profile)}:{address}",
                kind="profile_stale",
                to=address,
                name=name,
                user=user,
                template="profile_stale_editors",
                subject=f"{profile.user.name} har ikke bekræftet sin profil",
                context={
                    "person": profile.user.name,
                    "email": profile.email,
                    "confirmed": dato(profile.confirmed_at),
                    "reminders": reminders,
                    "profile_link": absolute_url("contacts.profile", profile_id=profile.id),
                },
            )
            is not None
        )
    return told


def reminder_job(app: Flask) -> str | None:
    """``portal jobs run``: the reminders and notices that have fallen due."""
    config = current_app.config
    now, every, most = utcnow(), _every(), config["PROFILE_REMINDERS_MAX"]
    stale_after = timedelta(days=config["PROFILE_STALE_DAYS"])
    reminded = told = 0
    for profile in profiles.stale_profiles():
        overdue = now - profile.confirmed_at - stale_after
        number = min(most, 1 + overdue // every)
        reminded += _remind(profile, number)
        if overdue >= every * most:
            told += _tell_editors(profile, most)
    if not reminded and not told:
        return None
    return f"Kontaktpersoner: {reminded} påmindelse(r), {told} besked(er) til specialenheden."


def reminded(found: list[ContactProfile]) -> dict[int, tuple[int, datetime | None]]:
    """For each profile: how many reminders chased its current confirmation, and the last
    (one query for the whole list)."""
    chased = {f"profile-reminder:{p.id}:{_chased(p)}": p.id for p in found}
    result: dict[int, tuple[int, datetime | None]] = {p.id: (0, None) for p in found}
    sent = db.session.execute(
        sa.select(MailMessage.key, MailMessage.created_at).where(
            MailMessage.key.startswith("profile-reminder:")
        )
    )
    for key, at in sent:
        profile_id = chased.get(key.rpartition(":")[0])  # the key less the reminder's number
        if profile_id is not None:
            count, last = result[profile_id]
            result[profile_id] = (count + 1, max(last, at) if last else at)
    return result
