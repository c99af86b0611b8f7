"""User- and editor-written text to safe HTML: Python-Markdown, then an nh3 allow-list.

Every piece of written text that becomes HTML goes through ``render``. Glossary terms are marked
where they first occur, on the Markdown element tree (never by editing HTML strings).
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from slugify import slugify as _slugify

DANISH_REPLACEMENTS = [["æ", "ae"], ["ø", "oe"], ["å", "aa"], ["Æ", "Ae"], ["Ø", "Oe"], ["Å", "Aa"]]

# Bumped when rendering changes, so that stored HTML is rendered again on the next sync.
RENDERER_VERSION = "2"  # a change re-renders every page at the next sync


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII-safe slug in the Danish way: 'Grøn linie på Åbo' -> 'groen-linie-paa-aabo'."""
    return _slugify(text, replacements=DANISH_REPLACEMENTS, max_length=max_length) or "side"


# Danish alphabetical order: Æ, Ø, Å come after Z (in that order), and "Aa" sorts as Å.
# (ICU would do it too, but needs a compiled library for one rule set.)
# "{", "|" and "}" follow "z" in code-point order.
_DANISH_ORDER = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"})


def danish_sort_key(text: str) -> str:
    return text.casefold().replace("aa", "å").translate(_DANISH_ORDER)


ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "abbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "nav",
    "span",
    "div",
    "sup",
    "sub",
    "del",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    "td": set(),
    "ol": {"start"},
    "div": set(),
    "nav": {"aria-label"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
# Only the classes the renderer itself adds (glossary links, the table of contents): a writer
# cannot dress a link up as the portal's own button or message.
ALLOWED_CLASSES = {"a": {"class": {"term"}}, "div": {"class": {"toc"}}}
# Ids the page layout uses: a heading in the text must not take one (the anchor is dropped).
RESERVED_IDS = frozenset(
    {
        "indhold",
        "top",
        "trin",
        "modellen",
        "relaterede",
        "emner",
        "datoer",
        "pladser",
        "tilmelding",
        "om-moedet",
        "outlook",
        "redaktion",
        "redaktoer",
        "slet",
        "uden",
        "site-search-q",
        "front-search-q",
        "soeg-q",
    }
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and (value in RESERVED_IDS or not _ID.match(value)):
        return None
    return value


URL_SCHEMES = {"http", "https", "mailto", "tel"}


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


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # a nested list of the page's headings, or "" when it has fewer than two


class _Rendered:
    """What was rendered lately, by glossary and source: a page saved again re-renders only
    the texts that changed (its other steps come from here). Bounded; shared by the threads
    of a process."""

    SIZE = 2048

    def __init__(self) -> None:
        self._found: OrderedDict[tuple[int, str], Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str]) -> Rendered | None:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key: tuple[int, str], rendered: Rendered) -> None:
        with self._lock:
            self._found[key] = rendered
            while len(self._found) > self.SIZE:
                self._found.popitem(last=False)


_rendered = _Rendered()


class Renderer:
    """Renders texts with one glossary through one Markdown converter, reset between texts:
    a page and its twenty steps cost one converter, not twenty-one, and a text rendered lately
    with the same glossary costs nothing. Not thread-safe: make one where it is used."""

    def __init__(self, glossary: Glossary | None = None):
        glossary = glossary or Glossary()
        self.key = glossary.fingerprint
        self.md = markdown.Markdown(
            extensions=[
                "tables",
                "sane_lists",
                "toc",
                GlossaryExtension(glossary),
            ],
            extension_configs={
                "toc": {"slugify": lambda value, sep: slugify(value), "toc_depth": "2-3"}
            },
            output_format="html",
        )

    def render(self, source: str) -> Rendered:
        """Markdown to sanitised HTML, with heading anchors and a table of contents."""
        key = (self.key, source)
        found = _rendered.get(key)
        if found is None:
            found = self._render(source)
            _rendered.put(key, found)
        return found

    def _render(self, source: str) -> Rendered:
        md = self.md.reset()
        html = md.convert(source)
        toc_tokens = getattr(md, "toc_tokens", [])
        toc: str = (
            getattr(md, "toc", "")
            if sum(1 + len(t.get("children", [])) for t in toc_tokens) >= 2
            else ""
        )
        return Rendered(html=clean(html), toc=clean(toc))

    def inline(self, source: str) -> str:
        """Short Markdown (a procedure step, a definition): one paragraph unwrapped."""
        html = self.render(source).html
        match = re.fullmatch(r"<p>(.*)</p>", html.strip(), flags=re.S)
        return match.group(1) if match and "<p>" not in match.group(1) else html


def render(source: str, glossary: Glossary | None = None) -> Rendered:
    """Markdown to sanitised HTML, with heading anchors and a table of contents."""
    return Renderer(glossary).render(source)


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_CLASSES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_inline(source: str, glossary: Glossary | None = None) -> str:
    """Short Markdown (a procedure step, a definition): same rules, one paragraph unwrapped."""
    return Renderer(glossary).inline(source)


def plain_text(fragment: str) -> str:
    """Rendered HTML as plain text on one line (for search documents and summaries)."""
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())
