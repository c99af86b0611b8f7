"""Synonym groups: the everyday words shipped with the content (``content/soegning/
synonymer.txt``), combined with the glossary's synonyms from the registered providers.
Engine-independent."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import current_app

SHIPPED = "soegning/synonymer.txt"


def parse(text: str) -> list[list[str]]:
    """Groups from the shipped format: one group a line, comma-separated, ``#`` comments."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words = list(dict.fromkeys(w.strip() for w in line.split(",") if w.strip()))
        if len(words) > 1:
            groups.append(words)
    return groups


@cache
def _read(path: str, mtime: float) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g) for g in parse(Path(path).read_text("utf-8")))


def shipped() -> list[list[str]]:
    """The content's synonym groups (re-read when the file changes; none if it is missing)."""
    path = Path(current_app.config["CONTENT_DIR"]) / SHIPPED
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return []
    return [list(g) for g in _read(str(path), mtime)]
