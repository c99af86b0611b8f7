"""Ranking rules across kinds, on top of an engine's text score: engine-independent.

For a topic query, guides and procedures come before people (a person found by name keeps
their place); cancelled and past meetings come after upcoming ones; a hit that matches only
some of the query's words ranks by how much of it matches.
"""

from __future__ import annotations

from dataclasses import dataclass

# How much each kind's text score counts for a topic query.
KIND_WEIGHT = {
    "vejviser": 1.0,
    "sagsgange": 1.0,
    "nyheder": 0.8,
    "kalender": 0.8,
    "kontaktpersoner": 0.35,  # unless the query names the person
}
CANCELLED = 0.3
PAST = 0.4


@dataclass(frozen=True)
class Signals:
    kind: str
    by_name: bool = False  # the query matched the person's name
    cancelled: bool = False
    past: bool = False
    coverage: float = 1.0  # the share of the query's words that matched


def weight(s: Signals) -> float:
    w = 1.0 if s.kind == "kontaktpersoner" and s.by_name else KIND_WEIGHT.get(s.kind, 1.0)
    if s.cancelled:
        w *= CANCELLED
    elif s.past:
        w *= PAST
    return w * s.coverage**2


def adjusted(score: float, s: Signals) -> float:
    return score * weight(s)
