"""Template helpers: Danish dates, navigation, roles."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from flask import Flask, current_app, request, url_for
from flask_login import current_user

from portal.security import Role, has_role
from portal.text import slugify
from portal.timeutil import local

# The main navigation: (label, endpoint, role needed or None). An entry shows once its feature
# has registered the endpoint, and only to those with the role.
NAVIGATION = [
    ("Vejviser", "kb.guide_index", None),
    ("Sagsgange", "kb.procedure_index", None),
    ("Kontaktpersoner", "contacts.directory", None),
    ("Kalender", "calendar.index", None),
    ("Nyheder", "news.index", None),
    ("Redaktion", "editor.index", Role.EDITOR),
    ("Administration", "admin.user_list", Role.ADMIN),
]


def dato(value: date | datetime | None, form: str = "long") -> str:
    """'23. november 2026' (long) or '23.11.2026' (short)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    pattern = "d. MMMM y" if form == "long" else "dd.MM.y"
    return _formatted(value, pattern, current_app.config["LOCALE"])


@lru_cache(maxsize=4096)  # Babel builds each date from the pattern: a list shows many
def _formatted(value: date, pattern: str, locale: str) -> str:
    return format_date(value, pattern, locale=locale)


def datotid(value: datetime | None) -> str:
    """'mandag 23. november 2026 kl. 14.05'."""
    if value is None:
        return ""
    return format_datetime(
        local(value), "EEEE d. MMMM y 'kl.' HH.mm", locale=current_app.config["LOCALE"]
    )


def navigation() -> list[dict]:
    items = []
    for label, endpoint, role in NAVIGATION:
        allowed = role is None or has_role(current_user, role)
        if endpoint in current_app.view_functions and allowed:
            url = url_for(endpoint)
            # aria-current: "page" on the section's own page, "true" anywhere inside it.
            current = "page" if request.path == url else request.path.startswith(url) and "true"
            items.append({"label": label, "url": url, "current": current or None})
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.filters["dato"] = dato
    app.jinja_env.filters["datotid"] = datotid
    app.jinja_env.filters["slug"] = slugify
    app.jinja_env.globals.update(navigation=navigation, has_role=has_role, Role=Role)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
