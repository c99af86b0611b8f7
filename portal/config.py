"""Configuration: defaults, then ``instance/portal.cfg``, then ``PORTAL_*`` environment, then a
test mapping. Read when the app is created, never at import."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.sansio.utils import host_is_trusted

from portal import sizing
from portal.environment import ConfigError as ConfigError  # features import it from here
from portal.environment import from_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Secret keys that must never reach production.
WEAK_SECRETS = {"", "dev", "secret", "changeme", "development-only-not-secret"}
MIN_SECRET_LENGTH = 32


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "ENV_NAME": "development",  # development | production
        "SECRET_KEY": "development-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'portal.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEARCH_ENGINE": "",  # whoosh | postgresql; default: postgresql on a PostgreSQL database
        "SEARCH_INDEX_DIR": str(PROJECT_ROOT / "search_index"),
        "SEARCH_WRITER_TIMEOUT": 5.0,  # seconds to wait for another process's index writer
        "SEARCH_REBUILD_IN_BACKGROUND": True,  # a damaged index is rebuilt in a thread
        "SEARCH_INDEX_NAME": "",  # this index in search_index_state; default: host and directory
        "SEARCH_INDEX_FORGET_DAYS": 7,  # an index not seen this long no longer holds rows back
        "CONTENT_DIR": str(PROJECT_ROOT / "content"),
        "PUBLIC_READ": True,
        # Guides and procedures as rendered for anonymous readers, kept per process and keyed
        # by the database's content version (portal/page_cache.py); pages per process.
        "PAGE_CACHE": True,
        "PAGE_CACHE_SIZE": 256,
        "PROXY_FIX": 0,  # number of trusted reverse proxies in front of the app
        # Production sizing (portal/sizing.py; gunicorn.conf.py reads the same variables).
        "SERVERS": 1,  # app servers sharing the database (portal check --deploy)
        "WORKERS": None,  # worker processes per server: None is derived from the cores
        "THREADS": None,  # threads per worker process: None is the default (4)
        "DB_POOL_SIZE": None,  # PostgreSQL connections kept per process: None is THREADS
        "DB_MAX_OVERFLOW": None,  # ... and opened beyond it in a burst: None is THREADS
        "DB_CONNECT_TIMEOUT": 5,  # seconds; a database that does not answer fails the request
        "RATELIMIT_STORAGE_URI": "memory://",
        # Redis down: count in each process instead (login must not fail with a 500).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Reading is not limited per address (an office shares one); a default limit, if
        # set, counts each signed-in person. Login and password forms: see portal/ratelimit.py.
        "RATELIMIT_DEFAULT": "",
        "LOGIN_RATE_PER_ACCOUNT": "10 per minute",  # per account and client address
        "LOGIN_RATE_PER_ADDRESS": "120 per minute",  # per client address, any account
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT": timedelta(minutes=15),  # the failure window, and the longest wait
        "LOGIN_DELAY": timedelta(seconds=30),  # the first wait at the limit; doubles after
        # Request size limits: photos are the largest thing anyone uploads.
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 512 * 1024,
        "MAX_FORM_PARTS": 200,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # the cookie; see SESSION_ABSOLUTE
        "SESSION_IDLE": timedelta(hours=8),  # without use, a session ends after this
        "SESSION_IDLE_PRIVILEGED": timedelta(minutes=30),  # ... for editors and admins
        "SESSION_ABSOLUTE": timedelta(hours=12),  # and at the latest this long after login
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": True,
        # OWASP (2024) minimum for Argon2id: m=19 MiB, t=2, p=1.
        "ARGON2_TIME_COST": 2,
        "ARGON2_MEMORY_COST": 19 * 1024,
        "ARGON2_PARALLELISM": 1,
        "PROFILE_STALE_DAYS": 180,  # a contact profile unconfirmed this long is chased
        "REVIEW_AFTER_DAYS": 365,  # a page not reviewed this long is listed on Redaktion
        "TIMEZONE": "Europe/Copenhagen",
        "LOCALE": "da",
        # Mail through the municipality's SMTP relay; without a server, mail goes to the log
        # and to /admin/post (development).
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,  # STARTTLS
        "MAIL_USE_SSL": False,  # implicit TLS (port 465)
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_CA_FILE": "",  # the relay's CA, if not in the system's store
        "MAIL_TIMEOUT": 10,  # seconds
        "MAIL_FROM": "BIF-SOF Portalen <portal@localhost>",
        "MAIL_REPLY_TO": "",
        "MAIL_MAX_ATTEMPTS": 8,  # then a message is given up and shown as failed
        "MAIL_RETRY_SECONDS": 60,  # the first wait; doubled after each failure
        "MAIL_SENDING_TIMEOUT": 900,  # a claimed message not sent by then is tried again
        "MAIL_SEND_INLINE": False,  # send after a request in the request's thread (tests)
        # The special unit's address: review reminders for pages without a known owner.
        "MAIL_EDITORS": "",
        # Single sign-on (OpenID Connect); off while OIDC_DISCOVERY_URL is empty.
        "OIDC_DISCOVERY_URL": "",
        "OIDC_CLIENT_ID": "",
        "OIDC_CLIENT_SECRET": "",
        "OIDC_SCOPES": "openid email profile",
        "OIDC_EMAIL_CLAIM": "email",
        "OIDC_NAME_CLAIM": "name",
        "OIDC_GROUPS_CLAIM": "groups",
        # SAML 2.0 service provider; off while SAML_IDP_METADATA is empty.
        "SAML_IDP_METADATA": "",  # a file, a URL or the XML itself
        "SAML_SP_ENTITY_ID": "",  # default: the portal's /saml/metadata address
        "SAML_SP_CERT": "",
        "SAML_SP_KEY": "",
        "SAML_XMLSEC_BINARY": "/usr/bin/xmlsec1",
        "SAML_EMAIL_ATTRIBUTE": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "SAML_NAME_ATTRIBUTE": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "SAML_GROUPS_ATTRIBUTE": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        "SSO_GROUP_ROLES": "",  # "group-id=editor; other=admin; *=staff"
        # A reverse proxy that authenticates: off while TRUSTED_HEADER is empty.
        "TRUSTED_HEADER": "",  # REMOTE_USER or a header name (X-Remote-User)
        "TRUSTED_HEADER_GROUPS": "",  # a header with comma-separated groups, if any
        "TRUSTED_HEADER_PROXIES": [],  # the proxies' addresses or networks
        "SSO_HELP": "Kontakt specialenheden, hvis du mener, du skal have adgang.",
        "LOCAL_LOGIN": "all",  # all | admins (only LOCAL_LOGIN_ADMINS) | off
        "LOCAL_LOGIN_ADMINS": [],
        "PROFILE_REMINDER_EVERY_DAYS": 30,
        "PROFILE_REMINDERS_MAX": 3,  # then the editors are told
        # Observability (portal/ops/observe.py, metrics.py): JSON request lines, /metrics.
        "LOG_JSON": False,
        "METRICS": False,
        "METRICS_ALLOW": ["127.0.0.1", "::1"],  # addresses (or networks) that may scrape
        "METRICS_TOKEN": "",  # or a bearer token for the monitoring server
    }


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("portal.cfg", silent=True)
    values, found = from_environment(os.environ)
    app.config.from_mapping(values)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["TESTING"] = bool(app.config.get("TESTING"))
    # What the configuration asked for: a `flask` command resets app.debug from FLASK_DEBUG
    # before it runs, and `portal check --deploy` must see what a server would run with.
    app.config["DEBUG_CONFIGURED"] = bool(app.config.get("DEBUG"))
    found += _use_base_url(app.config)
    _size_pool(app.config)
    found += problems(app.config)
    if found:  # every problem, one per line, not only the first
        raise ConfigError("\n".join(found))


def _use_base_url(config) -> list[str]:
    """``PORTAL_BASE_URL`` (https://portal.kk.dk) is the address in every absolute link (feeds,
    calendar files, invitations), whatever Host header a request carries; unless other trusted
    hosts are named, it is the only host the portal answers to."""
    base = config.get("BASE_URL")
    if not base:
        return []
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [f"PORTAL_BASE_URL skal være en adresse som https://portal.kk.dk, ikke {base!r}."]
    config["SERVER_NAME"] = parts.netloc
    config["PREFERRED_URL_SCHEME"] = parts.scheme
    config["APPLICATION_ROOT"] = parts.path.rstrip("/") or "/"
    if config.get("TRUSTED_HOSTS") is None:
        config["TRUSTED_HOSTS"] = [parts.hostname]
    elif not host_is_trusted(parts.hostname, config["TRUSTED_HOSTS"]):
        return [
            f"PORTAL_TRUSTED_HOSTS skal også nævne {parts.hostname} fra PORTAL_BASE_URL: ellers "
            "afviser portalen sin egen adresse (400)."
        ]
    return []


def _size_pool(config) -> None:
    """Worker and thread counts (derived unless set), and a PostgreSQL pool that fits them: each
    process keeps ``THREADS`` connections and opens as many again in a burst. Options set
    explicitly in ``SQLALCHEMY_ENGINE_OPTIONS`` win."""
    config["WORKERS"] = config.get("WORKERS") or sizing.workers({})
    config["THREADS"] = config.get("THREADS") or sizing.threads({})
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    pool_size = config.get("DB_POOL_SIZE") or config["THREADS"]
    overflow = config.get("DB_MAX_OVERFLOW")
    options.setdefault("pool_size", pool_size)
    options.setdefault("max_overflow", config["THREADS"] if overflow is None else overflow)
    options.setdefault("pool_timeout", 10)  # seconds a request waits for a free connection
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("connect_timeout", config["DB_CONNECT_TIMEOUT"])
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def is_production(config: dict[str, Any]) -> bool:
    return config["ENV_NAME"] != "development" and not config["TESTING"]


def problems(config: dict[str, Any]) -> list[str]:
    """Settings that are unsafe outside development and tests, or that cannot work."""
    found: list[str] = []
    if config["ENV_NAME"] not in {"development", "production"}:
        found.append("PORTAL_ENV skal være 'development' eller 'production'.")
    if config["SEARCH_ENGINE"] not in {"", "whoosh", "postgresql"}:
        found.append("PORTAL_SEARCH_ENGINE skal være 'whoosh' eller 'postgresql'.")
    if config["SEARCH_ENGINE"] == "postgresql" and not str(
        config["SQLALCHEMY_DATABASE_URI"]
    ).startswith("postgresql"):
        found.append("PORTAL_SEARCH_ENGINE=postgresql kræver en PostgreSQL-database.")
    if config["LOCAL_LOGIN"] not in {"all", "admins", "off"}:
        found.append("PORTAL_LOCAL_LOGIN skal være 'all', 'admins' eller 'off'.")
    if config["LOCAL_LOGIN"] != "all" and not (
        config.get("OIDC_DISCOVERY_URL") or config.get("SAML_IDP_METADATA")
    ):
        found.append(
            "PORTAL_LOCAL_LOGIN kan kun begrænses, når der er sat et kommunalt login op "
            "(PORTAL_OIDC_DISCOVERY_URL eller PORTAL_SAML_IDP_METADATA): ellers kan ingen "
            "logge ind."
        )
    if config.get("TRUSTED_HEADER") and not config.get("TRUSTED_HEADER_PROXIES"):
        found.append(
            "PORTAL_TRUSTED_HEADER kræver PORTAL_TRUSTED_HEADER_PROXIES: de adresser, headeren "
            "må komme fra. Ellers kan enhver logge ind som hvem som helst."
        )
    if config.get("SAML_IDP_METADATA") and not (
        config.get("SAML_SP_CERT") and config.get("SAML_SP_KEY")
    ):
        found.append(
            "SAML kræver portalens eget certifikat og nøgle: sæt PORTAL_SAML_SP_CERT og "
            "PORTAL_SAML_SP_KEY (filer)."
        )
    if not str(config.get("MAIL_FROM") or "").strip():
        found.append(
            "PORTAL_MAIL_FROM er tom: sæt portalens afsenderadresse, fx portalen@kk.dk, eller "
            "fjern variablen."
        )
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        found.append("Vælg enten PORTAL_MAIL_USE_TLS eller PORTAL_MAIL_USE_SSL, ikke begge.")
    if is_production(config):
        secret = config.get("SECRET_KEY") or ""
        if secret in WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            found.append(
                "PORTAL_SECRET_KEY mangler eller er for svag: sæt en tilfældig nøgle på mindst "
                f"{MIN_SECRET_LENGTH} tegn, fx med: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'"
            )
    return found
