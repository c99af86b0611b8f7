"""Glossary terms in rendered text: each term is marked where it first occurs (a link to the
glossary with its meaning on hover), on the Markdown element tree, never by editing HTML
strings. Used by ``portal.text``'s renderer."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import cached_property

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


@dataclass(frozen=True)
class GlossaryEntry:
    """What the renderer needs to mark a term: the words that match it and where it points."""

    slug: str
    words: tuple[str, ...]  # the term and its synonyms, as written in text
    title: str  # the long form or a short definition, shown on hover and read by screen readers
    is_abbreviation: bool


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)
    url: str = "/ordliste"

    def pattern(self) -> re.Pattern | None:
        return self._pattern

    @cached_property
    def fingerprint(self) -> int:
        """Equal for two glossaries that mark text alike (a key for rendered text)."""
        return hash((tuple(self.entries), self.url))

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        words = sorted({w for e in self.entries for w in e.words}, key=len, reverse=True)
        if not words:
            return None
        alternatives = "|".join(re.escape(w) for w in words)
        return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)

    def lookup(self, word: str) -> GlossaryEntry | None:
        for entry in self.entries:
            for candidate in entry.words:
                if candidate == word or (
                    not entry.is_abbreviation and candidate.lower() == word.lower()
                ):
                    return entry
        return None


SKIP_MARKING = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


class GlossaryMarker(Treeprocessor):
    """Wrap the first occurrence of each glossary term: ``<abbr>`` for an abbreviation, a link
    to the glossary entry for a term."""

    def __init__(self, md, glossary: Glossary):
        super().__init__(md)
        self.glossary = glossary

    def run(self, root: etree.Element) -> None:
        pattern = self.glossary.pattern()
        if pattern is None:
            return
        self.seen: set[str] = set()
        self.pattern = pattern
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if element.tag in SKIP_MARKING:
            return
        if element.text:
            element.text, nodes = self._split(element.text)
            for index, node in enumerate(nodes):
                element.insert(index, node)
        for child in list(element):
            self._walk(child)
            if child.tail:
                child.tail, nodes = self._split(child.tail)
                position = list(element).index(child) + 1
                for offset, node in enumerate(nodes):
                    element.insert(position + offset, node)

    def _split(self, text: str) -> tuple[str, list[etree.Element]]:
        """Return the text before the first new term, and the nodes that follow it."""
        for match in self.pattern.finditer(text):
            entry = self.glossary.lookup(match.group(1))
            if entry is None or entry.slug in self.seen:
                continue
            self.seen.add(entry.slug)
            if entry.is_abbreviation:
                node = etree.Element("abbr", {"title": entry.title})
            else:
                href = f"{self.glossary.url}#{entry.slug}"
                node = etree.Element("a", {"href": href, "class": "term", "title": entry.title})
            node.text = match.group(1)
            node.tail, rest = self._split(text[match.end() :])
            return text[: match.start()], [node, *rest]
        return text, []


class GlossaryExtension(Extension):
    def __init__(self, glossary: Glossary):
        super().__init__()
        self.glossary = glossary

    def extendMarkdown(self, md):
        # After inline processing (priority 20), so that text nodes are final.
        md.treeprocessors.register(GlossaryMarker(md, self.glossary), "glossary", 5)
