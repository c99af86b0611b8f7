"""Comparing two revisions of the glossary page: which terms were added, removed or changed,
field by field, marked as ``diff.py`` marks prose (not by colour alone)."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from portal.kb.diff import FieldChange, words

FIELDS = {"term": "Ord", "long": "Lang form", "synonyms": "Synonymer", "definition": "Forklaring"}


@dataclass
class TermChange:
    status: str  # added | removed | changed
    term: str
    fields: list[FieldChange]


def compare_terms(old_state: dict, new_state: dict) -> list[TermChange]:
    """Terms matched by their word (a renamed term in the same place counts as changed). Empty
    if either revision was recorded without its terms."""
    if "terms" not in old_state or "terms" not in new_state:
        return []
    a, b = old_state["terms"], new_state["terms"]
    out: list[TermChange] = []
    matcher = SequenceMatcher(None, [t["term"] for t in a], [t["term"] for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        for i, j in pairs if op in ("equal", "replace") else []:
            fields = _fields(a[i], b[j])
            if fields:
                out.append(TermChange("changed", b[j]["term"], fields))
        out += [TermChange("removed", a[i]["term"], []) for i in range(i1 + len(pairs), i2)]
        out += [
            TermChange("added", b[j]["term"], _fields(None, b[j]))
            for j in range(j1 + len(pairs), j2)
        ]
    return out


def _fields(old: dict | None, new: dict) -> list[FieldChange]:
    def shown(term: dict | None, name: str) -> str:
        value = (term or {}).get(name) or ""
        return ", ".join(value) if isinstance(value, list) else str(value)

    return [
        FieldChange(label, words(shown(old, name), shown(new, name)))
        for name, label in FIELDS.items()
        if shown(old, name) != shown(new, name)
    ]
