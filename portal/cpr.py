"""Recognising CPR numbers: citizen data never belongs in the portal. People write them with
any separator (hyphen, en dash, space, slash, dot) or none, and text pasted from elsewhere may
hold full-width digits or invisible characters: normalise first, then match. The first six
digits must be a real date, so an ordinary ten-digit number is not taken for one."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SEP = r"[\s.\-\u2010-\u2015\u2212/]?"
CPR_RE = re.compile(
    rf"(?<!\d)(?P<dd>\d{{2}}){_SEP}(?P<mm>\d{{2}}){_SEP}(?P<yy>\d{{2}})"
    rf"[\s.\-\u2010-\u2015\u2212/]*(?P<serial>\d{{4}})(?!\d)"
)


def normalised(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _is_date(match: re.Match[str]) -> bool:
    day, month, year = int(match["dd"]), int(match["mm"]), int(match["yy"])
    try:
        date(2000 + year, month, day)  # 2000 + yy: a leap year whenever yy allows one
    except ValueError:
        return False
    return True


def cpr_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (normalised) holds something that looks like a CPR number."""
    return [m.span() for m in CPR_RE.finditer(normalised(text)) if _is_date(m)]


def contains_cpr(text: str) -> bool:
    return bool(cpr_spans(text))


def without_cpr(text: str) -> str:
    """``text`` normalised, with anything that looks like a CPR number replaced by a space."""
    text = normalised(text)
    for start, end in reversed(cpr_spans(text)):
        text = text[:start] + " " + text[end:]
    return text
