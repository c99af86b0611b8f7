"""Snippets of search hits: the matched words marked with ``<mark>`` in escaped text, from
the stored character offsets (re-analysing each hit's body cost most of a query's time)."""

from __future__ import annotations

import copy

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh.searching import Results


class MarkFormatter(highlight.Formatter):
    """Highlights as escaped text with ``<mark>`` around matches, and nothing else."""

    def format_token(self, text, token, replace=False):
        return Markup("<mark>%s</mark>") % highlight.get_text(text, token, replace)

    def format_fragment(self, fragment, replace=False):
        output = []
        index = fragment.startchar
        text = fragment.text
        for token in fragment.matches:
            if token.startchar is None or token.startchar < index:
                continue
            output.append(escape(text[index : token.startchar]))
            output.append(self.format_token(text, token, replace))
            index = token.endchar
        output.append(escape(text[index : fragment.endchar]))
        return Markup("").join(output)

    def format(self, fragments, replace=False):
        return Markup(" … ").join(self.format_fragment(f, replace) for f in fragments)


def _whole() -> highlight.Highlighter:
    return highlight.Highlighter(fragmenter=highlight.WholeFragmenter(), formatter=MarkFormatter())


def highlighter() -> highlight.Highlighter:
    return highlight.Highlighter(
        fragmenter=highlight.PinpointFragmenter(maxchars=180, surround=60, autotrim=True),
        formatter=MarkFormatter(),
    )


def shown_alone(shown: list) -> None:
    """Each shown hit highlighted through a copy of its results that holds the shown hits
    only: Whoosh reads the positions of the matched words for every hit of the results on
    the first highlight (500 hits for ten snippets)."""
    views: dict[int, Results] = {}
    for hit, results in shown:
        view = views.get(id(results))
        if view is None:
            view = views[id(results)] = copy.copy(results)
            view.top_n, view._char_cache = [], {}
            view.highlighter = highlighter()
        view.top_n.append((hit.score, hit.docnum))
        hit.results = view


PERSON_KIND = "kontaktpersoner"


def snippet(hit, terms_found: bool, kind: str = "") -> Markup:
    """The best passages of the body or summary with the matched words marked; for a person,
    the whole summary (job title, centre and team), never a passage of their "about" text."""
    if kind == PERSON_KIND:
        summary = hit.get("summary") or ""
        if terms_found and summary:
            marked = _whole().highlight_hit(hit, "summary", text=summary, top=1)
            if marked:
                return marked if isinstance(marked, Markup) else escape(marked)
        return escape(summary or "Kontaktperson")
    if terms_found:
        for name in ("body", "summary"):
            text = hit.get(name) or ""
            if text:
                marked = hit.highlights(name, text=text, top=2)  # MarkFormatter: Markup
                if marked:
                    return marked if isinstance(marked, Markup) else escape(marked)
    summary = hit.get("summary") or hit.get("body") or ""
    return escape(summary[:240] + ("…" if len(summary) > 240 else ""))
