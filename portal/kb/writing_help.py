"""Writing help on the edit form: the body's LIX (shown, not enforced), links to pages that do
not exist, and the glossary terms the page will mark."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from portal.extensions import db
from portal.kb.lix import lix, plain_text
from portal.kb.models import Page, PageRedirect
from portal.text import Glossary

LIX_TARGET = 40
# Markdown links to the portal's own pages: [tekst](/vejviser/slug) or (/sagsgange/slug#anker).
PAGE_LINK = re.compile(r"\]\(\s*/(vejviser|sagsgange)/([^)\s#?]+)")


@dataclass
class WritingHelp:
    lix: int | None  # None: too little text to say
    broken_links: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def lix_too_high(self) -> bool:
        return self.lix is not None and self.lix > LIX_TARGET


def check(body: str, step_texts: list[str], glossary: Glossary) -> WritingHelp:
    text = plain_text(body)
    score = round(lix(text)) if len(text.split()) >= 30 else None
    sources = [body, *step_texts]
    linked = {(section, slug) for s in sources for section, slug in PAGE_LINK.findall(s)}
    known = set(db.session.scalars(sa.select(Page.slug).where(Page.published.is_(True))))
    known |= set(db.session.scalars(sa.select(PageRedirect.old_slug)))
    broken = sorted(f"/{section}/{slug}" for section, slug in linked if slug not in known)
    pattern = glossary.pattern()
    found = []
    if pattern is not None:
        for source in sources:
            for match in pattern.finditer(source):
                entry = glossary.lookup(match.group(1))
                if entry is not None and entry.words[0] not in found:
                    found.append(entry.words[0])
    return WritingHelp(score, broken, sorted(found, key=str.lower))
