"""Comparing two states of a page so a person can read what changed: prose word by word
(paragraphs first, so a long text stays quick), procedures step by step. Deleted and inserted
text is marked with ``<del>``/``<ins>`` and a hidden "slettet:"/"tilføjet:" for screen readers,
so the difference never rests on colour alone."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from markupsafe import Markup, escape

from portal.administration import label
from portal.kb.pagedata import PageData, StepData

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

FIELDS = [
    ("title", "Titel"),
    ("slug", "Adresse"),
    ("summary", "Resumé"),
    ("administration", "Forvaltning"),
    ("category", "Kategori"),
    ("owner", "Ejer"),
    ("tags", "Emner"),
    ("related", "Relaterede sider"),
    ("trigger", "Hvornår bruges sagsgangen"),
    ("follows_model", "Følger samarbejdsmodellen"),
    ("reviewed", "Senest gennemgået"),
    ("review_days", "Gennemgås hver (dage)"),
]
STEP_FIELDS = [
    ("owner", "Hvem"),
    ("title", "Titel"),
    ("text", "Tekst"),
    ("deadline", "Frist"),
    ("document", "Dokument"),
    ("contact", "Kontakt"),
    ("model_step", "Trin i samarbejdsmodellen"),
]


def _deleted(text: str) -> Markup:
    return Markup('<del><span class="visually-hidden">slettet: </span>%s</del>') % text


def _inserted(text: str) -> Markup:
    return Markup('<ins><span class="visually-hidden">tilføjet: </span>%s</ins>') % text


def words(old: str, new: str) -> Markup:
    """``new`` with the words taken out of ``old`` and put in marked. A change that spans
    several words is marked as one (the spaces between them do not split it)."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    runs: list[list[str]] = []  # [deleted, inserted] for a change, [same] for equal text
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same = "".join(a[i1:i2])
        if op == "equal" and not (same.isspace() and runs and len(runs[-1]) == 2):
            runs.append([same])
        elif op == "equal":  # only spaces between two changes: part of the change
            runs[-1][0] += same
            runs[-1][1] += same
        elif runs and len(runs[-1]) == 2:
            runs[-1][0] += same
            runs[-1][1] += "".join(b[j1:j2])
        else:
            runs.append([same, "".join(b[j1:j2])])
    out: list[Markup] = []
    for run in runs:
        if len(run) == 1:
            out.append(escape(run[0]))
            continue
        deleted, inserted = run
        if deleted.strip():
            out.append(_deleted(deleted))
        if inserted.strip():
            out.append(_inserted(inserted))
    return Markup("").join(out)


def prose(old: str, new: str) -> list[Markup]:
    """Paragraph by paragraph: unchanged paragraphs are left out (with a marker), changed
    ones compared word by word."""
    a, b = _paragraphs(old), _paragraphs(new)
    out: list[Markup] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Markup('<span class="meta">(%d uændrede afsnit)</span>') % (i2 - i1))
        elif op == "replace" and i2 - i1 == j2 - j1:
            out += [words(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            out += [_deleted(p) for p in a[i1:i2]] + [_inserted(p) for p in b[j1:j2]]
    return out


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _shown(value) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if value in ("BIF", "SOF", "both"):
        return label(value)
    return "" if value is None else str(value)


@dataclass
class FieldChange:
    label: str
    html: Markup


@dataclass
class StepChange:
    status: str  # changed | added | removed | unchanged
    number: int  # in the newer state (or the older, for a removed step)
    title: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Comparison:
    fields: list[FieldChange]
    body: list[Markup]
    body_changed: bool
    steps: list[StepChange]

    @property
    def nothing(self) -> bool:
        steps_same = all(s.status == "unchanged" for s in self.steps)
        return not self.fields and not self.body_changed and steps_same


def compare(old: PageData, new: PageData) -> Comparison:
    changes = [
        FieldChange(text, words(_shown(getattr(old, name)), _shown(getattr(new, name))))
        for name, text in FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    changed = old.body != new.body
    return Comparison(
        changes, prose(old.body, new.body) if changed else [], changed, _steps(old, new)
    )


def _steps(old: PageData, new: PageData) -> list[StepChange]:
    """Steps matched by title (a renamed step in the same place counts as changed)."""
    a, b = old.steps, new.steps
    out: list[StepChange] = []
    matcher = SequenceMatcher(None, [s.title for s in a], [s.title for s in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))
        if op in ("equal", "replace"):
            out += [_step_change(a[i], b[j], j + 1) for i, j in pairs]
        out += [StepChange("removed", i + 1, a[i].title) for i in range(i1 + len(pairs), i2)]
        out += [
            StepChange("added", j + 1, b[j].title, _step_fields(None, b[j]))
            for j in range(j1 + len(pairs), j2)
        ]
    return out


def _step_change(old: StepData, new: StepData, number: int) -> StepChange:
    fields = _step_fields(old, new)
    return StepChange("changed" if fields else "unchanged", number, new.title, fields)


def _step_fields(old: StepData | None, new: StepData) -> list[FieldChange]:
    return [
        FieldChange(
            text,
            words(_shown(getattr(old, name)) if old else "", _shown(getattr(new, name))),
        )
        for name, text in STEP_FIELDS
        if (old is None and getattr(new, name) not in (None, ""))
        or (old is not None and getattr(old, name) != getattr(new, name))
    ]
