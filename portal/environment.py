"""``PORTAL_*`` environment variables: which setting each one sets, and how it is read."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any


class ConfigError(RuntimeError):
    """The configuration cannot run safely; start-up stops with this message."""


# PORTAL_<NAME> environment variables and how to read them.
ENV_VARS: dict[str, tuple[str, Any]] = {
    "PORTAL_ENV": ("ENV_NAME", str),
    "PORTAL_SECRET_KEY": ("SECRET_KEY", str),
    "PORTAL_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "PORTAL_SEARCH_INDEX_DIR": ("SEARCH_INDEX_DIR", str),
    "PORTAL_SEARCH_ENGINE": ("SEARCH_ENGINE", str),
    "PORTAL_SEARCH_INDEX_NAME": ("SEARCH_INDEX_NAME", str),
    "PORTAL_CONTENT_DIR": ("CONTENT_DIR", str),
    "PORTAL_PUBLIC_READ": ("PUBLIC_READ", "bool"),
    "PORTAL_PROXY_FIX": ("PROXY_FIX", int),
    "PORTAL_SERVERS": ("SERVERS", int),
    "PORTAL_WORKERS": ("WORKERS", "positive"),
    "PORTAL_THREADS": ("THREADS", "positive"),
    "PORTAL_DB_POOL_SIZE": ("DB_POOL_SIZE", int),
    "PORTAL_DB_MAX_OVERFLOW": ("DB_MAX_OVERFLOW", int),
    "PORTAL_DB_CONNECT_TIMEOUT": ("DB_CONNECT_TIMEOUT", int),
    "PORTAL_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "PORTAL_RATELIMIT_DEFAULT": ("RATELIMIT_DEFAULT", str),
    "PORTAL_LOGIN_RATE_PER_ACCOUNT": ("LOGIN_RATE_PER_ACCOUNT", str),
    "PORTAL_LOGIN_RATE_PER_ADDRESS": ("LOGIN_RATE_PER_ADDRESS", str),
    "PORTAL_SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", "bool"),
    "PORTAL_PROFILE_STALE_DAYS": ("PROFILE_STALE_DAYS", int),
    "PORTAL_REVIEW_AFTER_DAYS": ("REVIEW_AFTER_DAYS", int),
    "PORTAL_STATS_FLUSH_SECONDS": ("STATS_FLUSH_SECONDS", int),
    "PORTAL_PAGE_CACHE": ("PAGE_CACHE", "bool"),
    "PORTAL_PAGE_CACHE_SIZE": ("PAGE_CACHE_SIZE", int),
    "PORTAL_LOG_JSON": ("LOG_JSON", "bool"),
    "PORTAL_METRICS": ("METRICS", "bool"),
    "PORTAL_METRICS_ALLOW": ("METRICS_ALLOW", "list"),
    "PORTAL_METRICS_TOKEN": ("METRICS_TOKEN", str),
    "PORTAL_BASE_URL": ("BASE_URL", str),
    "PORTAL_SESSION_IDLE_MINUTES": ("SESSION_IDLE", "minutes"),
    "PORTAL_SESSION_IDLE_MINUTES_EDITOR": ("SESSION_IDLE_PRIVILEGED", "minutes"),
    "PORTAL_SESSION_HOURS": ("SESSION_ABSOLUTE", "hours"),
    "PORTAL_TRUSTED_HOSTS": ("TRUSTED_HOSTS", "list"),
    "PORTAL_MAIL_SERVER": ("MAIL_SERVER", str),
    "PORTAL_MAIL_PORT": ("MAIL_PORT", int),
    "PORTAL_MAIL_USE_TLS": ("MAIL_USE_TLS", "bool"),
    "PORTAL_MAIL_USE_SSL": ("MAIL_USE_SSL", "bool"),
    "PORTAL_MAIL_USERNAME": ("MAIL_USERNAME", str),
    "PORTAL_MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "PORTAL_MAIL_CA_FILE": ("MAIL_CA_FILE", str),
    "PORTAL_MAIL_TIMEOUT": ("MAIL_TIMEOUT", int),
    "PORTAL_MAIL_FROM": ("MAIL_FROM", str),
    "PORTAL_MAIL_REPLY_TO": ("MAIL_REPLY_TO", str),
    "PORTAL_MAIL_MAX_ATTEMPTS": ("MAIL_MAX_ATTEMPTS", int),
    "PORTAL_MAIL_EDITORS": ("MAIL_EDITORS", str),
    "PORTAL_OIDC_DISCOVERY_URL": ("OIDC_DISCOVERY_URL", str),
    "PORTAL_OIDC_CLIENT_ID": ("OIDC_CLIENT_ID", str),
    "PORTAL_OIDC_CLIENT_SECRET": ("OIDC_CLIENT_SECRET", str),
    "PORTAL_OIDC_SCOPES": ("OIDC_SCOPES", str),
    "PORTAL_OIDC_EMAIL_CLAIM": ("OIDC_EMAIL_CLAIM", str),
    "PORTAL_OIDC_NAME_CLAIM": ("OIDC_NAME_CLAIM", str),
    "PORTAL_OIDC_GROUPS_CLAIM": ("OIDC_GROUPS_CLAIM", str),
    "PORTAL_SAML_IDP_METADATA": ("SAML_IDP_METADATA", str),
    "PORTAL_SAML_SP_ENTITY_ID": ("SAML_SP_ENTITY_ID", str),
    "PORTAL_SAML_SP_CERT": ("SAML_SP_CERT", str),
    "PORTAL_SAML_SP_KEY": ("SAML_SP_KEY", str),
    "PORTAL_SAML_EMAIL_ATTRIBUTE": ("SAML_EMAIL_ATTRIBUTE", str),
    "PORTAL_SAML_NAME_ATTRIBUTE": ("SAML_NAME_ATTRIBUTE", str),
    "PORTAL_SAML_GROUPS_ATTRIBUTE": ("SAML_GROUPS_ATTRIBUTE", str),
    "PORTAL_SSO_GROUP_ROLES": ("SSO_GROUP_ROLES", str),
    "PORTAL_SSO_HELP": ("SSO_HELP", str),
    "PORTAL_TRUSTED_HEADER": ("TRUSTED_HEADER", str),
    "PORTAL_TRUSTED_HEADER_GROUPS": ("TRUSTED_HEADER_GROUPS", str),
    "PORTAL_TRUSTED_HEADER_PROXIES": ("TRUSTED_HEADER_PROXIES", "list"),
    "PORTAL_LOCAL_LOGIN": ("LOCAL_LOGIN", str),
    "PORTAL_LOCAL_LOGIN_ADMINS": ("LOCAL_LOGIN_ADMINS", "list"),
}


def _parse_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "ja"}:
        return True
    if lowered in {"0", "false", "no", "off", "nej"}:
        return False
    raise ConfigError(f"{name} skal være true eller false, ikke {value!r}.")


def _parse(name: str, kind: Any, raw: str) -> Any:
    if kind == "bool":
        return _parse_bool(name, raw)
    if kind == "list":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind not in (int, "positive", "minutes", "hours"):
        return raw
    try:
        number = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} skal være et heltal, ikke {raw!r}.") from exc
    if kind == "positive" and number < 1:
        raise ConfigError(f"{name} skal være et positivt heltal, ikke {raw!r}.")
    return timedelta(**{kind: number}) if kind in ("minutes", "hours") else number


def from_environment(environ: os._Environ | dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The settings the environment gives, and a Danish line for each variable that cannot be
    read (its default stays, so that the other checks still run and every problem is named
    at once)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, (key, kind) in ENV_VARS.items():
        if name in environ:
            try:
                values[key] = _parse(name, kind, environ[name])
            except ConfigError as error:
                problems.append(str(error))
    url = values.get("SQLALCHEMY_DATABASE_URI", "")
    if url.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver; accept the usual URL forms.
        values["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url.split("://", 1)[1]
    return values, problems
