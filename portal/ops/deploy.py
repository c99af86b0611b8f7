"""``portal check --deploy``: the settings a production server must not run with, each named
with what to do about it (in Danish), like Django's ``check --deploy``. Start-up already
refuses a weak secret in production (``config.problems``); this looks at the whole deployment:
debug mode, cookies, the public address, and whether the database and the rate limits are
shared the way several processes and servers need."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask.helpers import get_debug_flag
from limits.storage import storage_from_string

from portal.config import MIN_SECRET_LENGTH, WEAK_SECRETS

MIN_DISTINCT_SECRET_CHARS = 12  # "x" * 40 is long, not random


def problems(app: Flask) -> list[str]:
    config = app.config
    found: list[str] = []
    if app.debug or config.get("DEBUG_CONFIGURED") or get_debug_flag():
        found.append(
            "Debug-tilstand er slået til (FLASK_DEBUG): fejlsider viser kildekode og kan køre "
            "kode. Slå den fra."
        )
    if config["ENV_NAME"] != "production" or config["TESTING"]:
        found.append("PORTAL_ENV er ikke 'production': sæt PORTAL_ENV=production.")
    found += _secret(config.get("SECRET_KEY") or "")
    if not config["SESSION_COOKIE_SECURE"]:
        found.append(
            "Cookies sendes også uden HTTPS: sæt PORTAL_SESSION_COOKIE_SECURE=true (portalen "
            "skal bag HTTPS)."
        )
    found += _base_url(config.get("BASE_URL"))
    found += _database(config)
    found += _rate_limits(config)
    return found


def warnings(app: Flask) -> list[str]:
    """What may be right, but usually is not: said, without failing the check."""
    config = app.config
    found: list[str] = []
    if not config["PROXY_FIX"]:
        found.append(
            "PORTAL_PROXY_FIX er 0: bag en reverse proxy ser portalen kun proxyens adresse, og "
            "så deler alle brugere grænsen for login pr. adresse. Sæt antallet af proxyer, fx "
            "PORTAL_PROXY_FIX=1."
        )
    if not config.get("MAIL_SERVER"):
        found.append(
            "PORTAL_MAIL_SERVER mangler: mails (invitationer, nulstilling af adgangskode, "
            "påmindelser) skrives kun i loggen og på /admin/post."
        )
    return found


def _secret(secret: str) -> list[str]:
    if secret.startswith("#") or any(ch.isspace() for ch in secret):
        return [
            "PORTAL_SECRET_KEY ligner en kommentar eller har mellemrum: en kommentar efter "
            "værdien i en miljøfil bliver en del af værdien. Skriv nøglen alene på linjen."
        ]
    if (
        secret in WEAK_SECRETS
        or len(secret) < MIN_SECRET_LENGTH
        or len(set(secret)) < MIN_DISTINCT_SECRET_CHARS
    ):
        return [
            f"PORTAL_SECRET_KEY er for svag: brug en tilfældig nøgle på mindst "
            f"{MIN_SECRET_LENGTH} tegn, fx python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'."
        ]
    return []


def _base_url(base: str | None) -> list[str]:
    if not base:
        return [
            "PORTAL_BASE_URL mangler: sæt portalens offentlige adresse, fx "
            "https://portal.kk.dk (den bruges i alle absolutte links og som tilladt værtsnavn)."
        ]
    if urlsplit(base).scheme != "https":
        return [f"PORTAL_BASE_URL skal begynde med https://, ikke {base!r}."]
    return []


def _processes(config) -> int:
    return int(config["SERVERS"]) * int(config["WORKERS"])


def _database(config) -> list[str]:
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        return []
    if config["SERVERS"] > 1:
        return [
            f"SQLite kan ikke deles af {config['SERVERS']} servere (PORTAL_SERVERS): brug "
            "PostgreSQL via PORTAL_DATABASE_URL."
        ]
    if config["WORKERS"] > 1:
        return [
            f"SQLite med {config['WORKERS']} arbejdsprocesser (PORTAL_WORKERS) skriver én ad "
            "gangen: brug PostgreSQL via PORTAL_DATABASE_URL, eller PORTAL_WORKERS=1."
        ]
    return []


def _rate_limits(config) -> list[str]:
    if not config.get("RATELIMIT_ENABLED", True):
        return ["Grænserne for login er slået fra (RATELIMIT_ENABLED): slå dem til."]
    uri = str(config["RATELIMIT_STORAGE_URI"])
    if uri.startswith("memory://"):
        if _processes(config) > 1:
            return [
                f"Grænserne for login tælles i hver af {_processes(config)} processer for sig "
                "(PORTAL_RATELIMIT_STORAGE_URI=memory://): brug Redis, fx "
                "redis://127.0.0.1:6379/0."
            ]
        return []
    try:
        reachable = storage_from_string(uri).check()
    except Exception:  # a bad URI or a missing driver: the same answer for the operator
        reachable = False
    if not reachable:
        return [f"Lageret for grænserne kan ikke nås ({_without_password(uri)})."]
    return []


def _without_password(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        return uri.replace(f":{parts.password}@", ":***@")
    return uri
