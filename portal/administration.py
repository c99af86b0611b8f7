"""Which administration a thing belongs to or is for: BIF, SOF or both. The one table of the
domain word ``administration`` (``forvaltning`` in URLs) and its Danish labels."""

from __future__ import annotations

from enum import StrEnum


class Administration(StrEnum):
    BIF = "BIF"
    SOF = "SOF"
    BOTH = "both"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def long_name(self) -> str:
        return LONG_NAMES.get(self, LABELS[self])


LABELS = {
    Administration.BIF: "BIF",
    Administration.SOF: "SOF",
    Administration.BOTH: "BIF og SOF",
}
LONG_NAMES = {
    Administration.BIF: "Beskæftigelses- og Integrationsforvaltningen",
    Administration.SOF: "Socialforvaltningen",
}
VALUES = tuple(a.value for a in Administration)
# The choices a form offers, and the filters a list offers (one administration at a time).
CHOICES = {a.value: a.label for a in Administration}
FILTERS = {a.value: a.label for a in (Administration.BIF, Administration.SOF)}


def label(value: str) -> str:
    """The Danish label of a stored value; an unknown value is shown as it is."""
    return LABELS.get(value, value)  # type: ignore[call-overload]


def chosen_filter(raw: str | None) -> str | None:
    """A ``forvaltning`` filter from the URL: BIF or SOF, anything else means no filter."""
    return raw if raw in FILTERS else None


def one_of(administration: str) -> tuple[str, ...]:
    """The stored values a filter for ``administration`` matches: itself and "both"."""
    return (administration, Administration.BOTH.value)
