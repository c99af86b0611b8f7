"""A ``Plan`` (``understanding``) as ``tsquery`` text: each slot an OR of its alternatives,
each alternative an AND of its words' stems (the same stems as the index's lexemes), a
compound's parts as a compound of the text (``analysis.pair``) or as neighbouring words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from portal.search.analysis import pair
from portal.search.postgres.lexemes import quoted
from portal.search.understanding import PARTS, SYNONYM, Alternative, Plan, Slot
from portal.search.whoosh_query import SUGGEST_MAX, stems


def loose(query: str) -> str:
    """``query`` with its phrases as plain ANDs: the pages it may match, which the GIN index
    finds without reading their lexemes (it must read them for a phrase)."""
    return re.sub(r" <\d+> ", " & ", query)


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " | ".join(items) + ")"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else "(" + " & ".join(items) + ")"


NEAR = 2  # with ``near``, a compound's parts also as words at most this far apart


def _pair(first: list[str], second: list[str], near: bool, rank: bool) -> str:
    """Two neighbouring parts of a compound, or their stand-ins: a compound made of them in a
    text (``analysis.pair``), and with ``near`` the two words close by in either order (for
    ``rank``, the two words: ``ts_rank_cd`` scores how close they are itself)."""
    found = [quoted(pair(a, b)) for a in first for b in second]
    if near and rank:
        found += [f"({quoted(a)} & {quoted(b)})" for a in first for b in second]
    elif near:
        for distance in range(1, NEAR + 1):
            for a in first:
                for b in second:
                    found += [f"({quoted(a)} <{distance}> {quoted(b)})"]
                    found += [f"({quoted(b)} <{distance}> {quoted(a)})"]
    return _or(found)


def alternative(alt: Alternative, near: bool = False, rank: bool = False) -> str | None:
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
        if len(positions) == 1:
            return _or([quoted(s) for s in positions[0]])
        return _and([_pair(a, b, near, rank) for a, b in itertools.pairwise(positions)])
    return _and([quoted(s) for s in dict.fromkeys(plain)])


@dataclass
class SlotQuery:
    text: str  # the slot's words as typed
    query: str  # any alternative
    by_weight: dict[float, str] = field(default_factory=dict)  # the alternatives of a weight
    rank: str = ""  # any alternative, as ranked (``alternative``'s ``rank``)
    plain: str = ""  # any alternative, a compound's parts not as near words (``query`` if so)


@dataclass
class Built:
    slots: list[SlotQuery] = field(default_factory=list)
    literal_stems: set[str] = field(default_factory=set)  # not through a synonym
    near: bool = False  # the plan has compound parts (see ``build``)
    words: list[str] = field(default_factory=list)  # every word searched for, for highlights

    def strict(self) -> str:
        return _and([s.query for s in self.slots])

    def broad(
        self, only: list[SlotQuery] | None = None, plain: frozenset[int] = frozenset()
    ) -> str:
        """Pages with any of the slots (``only``), those numbered in ``plain`` without their
        near words."""
        slots = only or self.slots
        return _or([s.plain if i in plain else s.query for i, s in enumerate(slots)])

    def rank(self) -> str:
        """Any slot, for ``ts_rank_cd``: its cost grows with the query's items, and a
        compound's parts near each other are one item here, not one per distance and order."""
        return _or([s.rank for s in self.slots])


def slot_query(slot: Slot, near: bool) -> SlotQuery | None:
    by_weight: dict[float, list[str]] = {}
    ranked: list[str] = []
    plain: list[str] = []
    for alt in slot.alternatives:
        query = alternative(alt, near)
        if query is not None:
            by_weight.setdefault(alt.weight, []).append(query)
            ranked.append(alternative(alt, near, rank=True) or query)
            plain.append(alternative(alt) or query)
    if not by_weight:
        return None
    joined = {w: _or(list(dict.fromkeys(qs))) for w, qs in by_weight.items()}
    return SlotQuery(
        slot.text,
        _or(list(joined.values())),
        joined,
        _or(list(dict.fromkeys(ranked))),
        _or(list(dict.fromkeys(plain))),
    )


def build(found: Plan, near: bool = False) -> Built:
    """With ``near`` false, ``Built.near`` says whether the plan has compound parts that
    ``near`` would also look for as words near each other."""
    built = Built()
    for slot in found.slots:
        query = slot_query(slot, near)
        if query is None:
            continue
        built.slots.append(query)
        for alt in slot.alternatives:
            if len(alt.words) > 1 and (alt.also or alt.weight == PARTS):
                built.near = True
            if not alt.prefix:
                built.words += alt.words
            if alt.weight > SYNONYM and not alt.prefix:
                built.literal_stems |= {s for w in alt.words for s in stems(w)}
    built.words = list(dict.fromkeys(built.words))
    return built
