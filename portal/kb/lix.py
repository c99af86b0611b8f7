"""LIX (læsbarhedsindeks) of a page body: the editor shows it (target at most 40), and the
content tests hold every page to it.

LIX = words / sentences + 100 x long words / words, where a long word has more than six
letters. Choices, so that the number measures what a reader reads:

- Front matter is not part of the body: `read_all` has already split it off.
- Tables are left out. Their cells are fragments without full stops, so they would count as
  one giant sentence, and a reader scans them rather than reads them.
- Links count with their text only; the URL (`/vejviser/om-kilderne`) is not read.
- A heading and a list item end a sentence even without a full stop: the reader pauses there.
- Bold and italic markers, heading hashes and list bullets are markup, not words.
- A word is a run of letters, hyphens and apostrophes inside it joined ("BIF-SOF-kontaktperson",
  "SOF's"); its length counts letters only, so "SOF's" has four. Numbers ("1.160", "2009") are
  not words, as in the usual LIX counts.
- A sentence ends at ".", "!", "?" or ":" followed by white space or the end of the text. A
  colon is counted because the pages use it to start a list or an explanation, where a reader
  pauses as at a full stop. An abbreviation such as "bl.a." before a space also counts as an
  end; that errs on the easy side, and the pages use few abbreviations.
"""

import re

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


def plain_text(markdown: str) -> str:
    """The readable text of a Markdown body, with headings and list items as sentences."""
    lines = [line for line in markdown.splitlines() if not line.lstrip().startswith("|")]
    text = "\n".join(lines)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link reads as its text
    text = re.sub(r"^\s*#+\s*(.*?)\s*$", r"\1.", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+(.*?)\s*$", r"\1.", text, flags=re.MULTILINE)
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"([.!?:])\.$", r"\1", text, flags=re.MULTILINE)


def lix(text: str) -> float:
    words = WORD.findall(text)
    if not words:
        return 0.0
    sentences = len(SENTENCE_END.findall(text)) or 1
    long_words = sum(1 for w in words if len(re.sub(r"\W", "", w)) > 6)
    return len(words) / sentences + 100 * long_words / len(words)
