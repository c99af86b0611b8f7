"""Users, passwords, sessions and login throttling. Functions flush; the caller commits."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from portal import audit
from portal.auth import throttle
from portal.auth.models import User, new_session_token
from portal.config import is_production
from portal.db import utcnow
from portal.errors import PortalError, TooManyAttempts, ValidationError
from portal.extensions import db
from portal.security import Role

MIN_PASSWORD_LENGTH = 12


def _hasher() -> PasswordHasher:
    hasher = current_app.extensions.get("portal_password_hasher")
    if hasher is None:
        config = current_app.config
        hasher = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
        current_app.extensions["portal_password_hasher"] = hasher
    return hasher


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _dummy_hash() -> str:
    # Verified against for unknown users, so they cost the same time as a wrong password.
    dummy = current_app.extensions.get("portal_dummy_hash")
    if dummy is None:
        dummy = current_app.extensions["portal_dummy_hash"] = hash_password(new_session_token())
    return dummy


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Adgangskoden skal være på mindst {MIN_PASSWORD_LENGTH} tegn.")
    if len(password) > 1024:
        raise ValidationError("Adgangskoden er for lang.")


def get_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def create_user(
    email: str,
    name: str,
    role: str,
    password: str | None,
    actor: User | None = None,
    is_demo: bool = False,
) -> User:
    """:raises ValidationError: with a Danish message for a bad e-mail, role or password."""
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationError(f"E-mailadressen er ikke gyldig: {email}") from exc
    if role not in {r.value for r in Role}:
        raise ValidationError(f"Ukendt rolle: {role}. Brug staff, contact, editor eller admin.")
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError("Navnet skal udfyldes og må højst have 200 tegn.")
    if get_by_email(email) is not None:
        raise ValidationError(f"Der findes allerede en bruger med e-mailen {email}.")
    if password is not None:
        check_password_strength(password)
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password) if password else None,
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", "user", user.id, "role", None, role)
    return user


def set_password(user: User, password: str, actor: User | None = None) -> None:
    check_password_strength(password)
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    audit.record(actor, "set_password", "user", user.id)


def end_all_sessions(user: User) -> None:
    user.session_token = new_session_token()
    db.session.flush()


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the cookie's ``id:token`` must match a live session."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


def _production() -> bool:
    return is_production(current_app.config)


class LocalLoginClosed(PortalError):
    status = 403
    message = (
        "Log ind med kommunens konto. Portalens egne adgangskoder bruges kun af de "
        "administratorer, der er nævnt i opsætningen."
    )


def local_login_allowed(email: str) -> bool:
    """``PORTAL_LOCAL_LOGIN``: password login for everyone, only the named admins (break-glass
    accounts), or no one (everyone signs in with the municipality's account)."""
    mode = current_app.config["LOCAL_LOGIN"]
    if mode == "all":
        return True
    named = {normalize_email(e) for e in current_app.config["LOCAL_LOGIN_ADMINS"]}
    return mode == "admins" and normalize_email(email) in named


def authenticate(email: str, password: str, device: throttle.Device | None = None) -> User | None:
    """Return the user for a correct e-mail and password, or None for any wrong pair.

    A failure is counted (and audited) in the transaction; the caller commits in both cases.
    ``device`` is the browser's device cookie: attempts from a browser that has logged in to
    the account before are counted apart from strangers' (see ``throttle``).

    :raises TooManyAttempts: while the account (or this device) must wait after failures.
    :raises LocalLoginClosed: if the account may not log in with a password here.
    """
    if not local_login_allowed(email):
        raise LocalLoginClosed()
    email = normalize_email(email)
    user = get_by_email(email)
    key = throttle.key_for(email, user.id if user else None, device)
    wait = throttle.wait_left(key)
    if wait is not None:
        raise TooManyAttempts(
            "Der har været for mange mislykkede forsøg på at logge ind på denne konto. "
            f"Vent {throttle.describe(wait)}, og prøv igen. Har du logget ind fra denne "
            "browser før, kan du altid logge ind herfra.",
            wait,
        )
    # Demo logins have published passwords: never usable in production.
    usable = user is not None and user.active and not (user.is_demo and _production())
    stored = user.password_hash if user is not None and usable else None
    hasher = _hasher()
    try:
        hasher.verify(stored or _dummy_hash(), password)
        ok = stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or stored is None:
        throttle.register_failure(key)
        audit.record(None, "login_failed", "user", user.id if user else "ukendt")
        return None
    throttle.reset(key)
    throttle.reset(email)
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    audit.record(user, "login", "user", user.id)
    db.session.flush()
    return user


def logout(user: User, everywhere: bool = False) -> None:
    """End every session of the user (all browsers), not only the current cookie.
    ``everywhere``: the user asked for exactly that on Min konto (audited as such)."""
    end_all_sessions(user)
    audit.record(user, "logout_everywhere" if everywhere else "logout", "user", user.id)


def deactivate_user(user: User, actor: User | None = None) -> None:
    if not user.active:
        return
    user.active = False
    end_all_sessions(user)
    audit.record(actor, "deactivate", "user", user.id, "active", True, False)


def reactivate_user(user: User, actor: User | None = None) -> None:
    if user.active:
        return
    user.active = True
    end_all_sessions(user)  # nothing from before the deactivation comes back to life
    audit.record(actor, "reactivate", "user", user.id, "active", False, True)


def change_own_password(
    user: User, current: str, new: str, device: throttle.Device | None = None
) -> bool:
    """Set ``new`` if ``current`` is the user's password and end every session; False (and a
    failure counted as for a login, so a borrowed session cannot guess it) if it is not.

    :raises TooManyAttempts: while the account (or this device) must wait after failures.
    :raises ValidationError: if ``new`` is too weak.
    """
    key = throttle.key_for(user.email, user.id, device)
    wait = throttle.wait_left(key)
    if wait is not None:
        raise TooManyAttempts(
            f"For mange forkerte adgangskoder. Vent {throttle.describe(wait)}, og prøv igen.",
            wait,
        )
    try:
        ok = user.password_hash is not None and _hasher().verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        throttle.register_failure(key)
        audit.record(user, "password_change_failed", "user", user.id)
        return False
    throttle.reset(key)
    set_password(user, new, actor=user)
    return True
