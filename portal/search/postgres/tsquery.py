"""A ``Plan`` (``understanding``) as ``tsquery`` text: each slot an OR of its alternatives,
each alternative an AND of its words' stems (the same stems as the index's lexemes), a
compound's parts as neighbours in any order or at one position (a compound in the text)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from portal.search.postgres.lexemes import quoted
from portal.search.understanding import PARTS, SYNONYM, Alternative, Plan, Slot
from portal.search.whoosh_query import SUGGEST_MAX, stems

NEAR = 3  # compound parts typed as one word match the parts at most this many words apart


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " | ".join(items) + ")"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " & ".join(items) + ")"


def _near(a: str, b: str) -> str:
    pairs = [f"{a} <0> {b}"]
    for distance in range(1, NEAR + 1):
        pairs += [f"{a} <{distance}> {b}", f"{b} <{distance}> {a}"]
    return _or([f"({p})" for p in pairs])


def alternative(alt: Alternative) -> str | None:
    if alt.prefix:
        return quoted(alt.words[-1][:SUGGEST_MAX]) + ":*"
    positions: list[list[str]] = []  # each word: its stem and its stand-ins
    plain: list[str] = []
    for i, word in enumerate(alt.words):
        found = stems(word)
        if not found:
            continue
        plain += found
        others = [s for w in (alt.also[i] if i < len(alt.also) else ()) for s in stems(w)[:1]]
        positions.append(list(dict.fromkeys([found[0], *others])))
    if not positions:
        return None
    if alt.also or (len(alt.words) > 1 and alt.weight == PARTS):
        options = [_or([quoted(s) for s in stand_ins]) for stand_ins in positions]
        if len(options) == 1:
            return options[0]
        return _and([_near(a, b) for a, b in itertools.pairwise(options)])
    return _and([quoted(s) for s in dict.fromkeys(plain)])


@dataclass
class SlotQuery:
    text: str  # the slot's words as typed
    query: str  # any alternative
    by_weight: dict[float, str] = field(default_factory=dict)  # the alternatives of a weight


@dataclass
class Built:
    slots: list[SlotQuery] = field(default_factory=list)
    literal_stems: set[str] = field(default_factory=set)  # not through a synonym
    words: list[str] = field(default_factory=list)  # every word searched for, for highlights

    def strict(self) -> str:
        return _and([s.query for s in self.slots])

    def broad(self) -> str:
        return _or([s.query for s in self.slots])


def slot_query(slot: Slot) -> SlotQuery | None:
    by_weight: dict[float, list[str]] = {}
    for alt in slot.alternatives:
        query = alternative(alt)
        if query is not None:
            by_weight.setdefault(alt.weight, []).append(query)
    if not by_weight:
        return None
    joined = {w: _or(list(dict.fromkeys(qs))) for w, qs in by_weight.items()}
    return SlotQuery(slot.text, _or(list(joined.values())), joined)


def build(found: Plan) -> Built:
    built = Built()
    for slot in found.slots:
        query = slot_query(slot)
        if query is None:
            continue
        built.slots.append(query)
        for alt in slot.alternatives:
            if not alt.prefix:
                built.words += alt.words
            if alt.weight > SYNONYM and not alt.prefix:
                built.literal_stems |= {s for w in alt.words for s in stems(w)}
    built.words = list(dict.fromkeys(built.words))
    return built
