"""User- and editor-written text to safe HTML: Python-Markdown, then an nh3 allow-list.

Every piece of written text that becomes HTML goes through ``render``. Glossary terms are marked
where they first occur (``portal.glossary_marking``).
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import markdown
import nh3
from slugify import slugify as _slugify

from portal.glossary_marking import Glossary, GlossaryExtension
from portal.glossary_marking import GlossaryEntry as GlossaryEntry  # features import it here

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
