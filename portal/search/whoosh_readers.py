"""The readers of a Whoosh index's latest generation for a thread's searcher (``index.searcher``),
keeping what a commit left unchanged."""

from __future__ import annotations

import copy

from whoosh.reading import MultiReader, ReaderClosed, SegmentReader, TermNotFound
from whoosh.searching import Searcher

# Terms a segment's reader remembers before it forgets them all: per thread (each has its own
# readers) and segment, a few hundred bytes each; a question with synonyms asks up to ~300.
REMEMBERED_TERMS = 1024


def newer(ix, old):
    """A searcher of the index's latest generation that keeps ``old``'s readers of segments
    that have not changed: a change adds one small segment, and opening every segment again
    took longer than the search. A segment with new deletions (the old version of a changed
    page) keeps its reader's open files too (``_with_deletions``). Not ``Searcher.refresh()``:
    it keeps readers by segment id, so a commit that only deleted documents stayed invisible,
    and keeps merged-away segments."""
    toc = ix._read_toc()
    kept = {} if old is None else {r.segment(): r for r, _ in old.reader().leaf_readers()}
    readers, opened = [], []
    try:
        for segment in toc.segments:
            reader = kept.pop(segment, None)
            if reader is not None:
                if set(reader.segment().deleted_docs()) != set(segment.deleted_docs()):
                    reader = _with_deletions(reader, segment)
            else:
                reader = RememberingReader(
                    ix.storage, toc.schema, segment, generation=toc.generation
                )
                reader._terms = RememberedTerms(reader._terms, toc.schema)
                opened.append(reader)
            readers.append(reader)
    except BaseException:
        for reader in opened:
            reader.close()
        raise
    for reader in kept.values():
        reader.close()  # segments merged away
    if not readers:
        return ix.searcher()  # an empty index
    return Searcher(MultiReader(readers, generation=toc.generation), fromindex=ix)


def _with_deletions(reader: SegmentReader, segment) -> SegmentReader:
    """``reader`` for ``segment``, the same segment with other deleted documents: a segment's
    files never change once written, and Whoosh's segment reader reads the deletions from its
    segment object (each posting list is filtered by them, and the document counts), so the
    open files are shared. Opening a large segment again took most of the time from a
    change's commit until a search found it."""
    changed = copy.copy(reader)
    changed.__dict__.pop("deleted_docs_set", None)  # a cached property: the old deletions
    changed._segment = segment
    changed._perdoc = copy.copy(reader._perdoc)
    changed._perdoc._segment = segment
    return changed


class RememberingReader(SegmentReader):
    """A segment's reader that answers whether it has a term, and how often, from what its
    ``RememberedTerms`` remembers for the text as asked: Whoosh converted the text to bytes
    through the schema each time (a query asks each of its terms in every segment, and the
    planner asks the vocabulary)."""

    def __contains__(self, term) -> bool:
        if self.is_closed:
            raise ReaderClosed
        fieldname, text = term
        return fieldname in self.schema and self._terms.entry(fieldname, text) is not None

    def frequency(self, fieldname: str, text) -> float:
        self._test_field(fieldname)
        info = self._terms.entry(fieldname, text)
        return 0 if info is None else info.weight()

    def doc_frequency(self, fieldname: str, text) -> int:
        self._test_field(fieldname)
        info = self._terms.entry(fieldname, text)
        return 0 if info is None else info.doc_frequency()


class RememberedTerms:
    """A segment's terms reader that remembers what it found for each term it was asked about
    (its statistics and where its postings are; a segment never changes once written). A
    question's words are looked up in five fields, with their synonyms, in every segment, and
    Whoosh asks each term's table entry several times in one search (is it there, how many
    pages, its postings): each a hash lookup in the segment's terms file, most of a search's
    time where the segments are many. The rest (word lists, prefixes) goes to the reader."""

    def __init__(self, terms, schema) -> None:
        self._terms = terms
        self._schema = schema
        self._infos: dict = {}

    def __getattr__(self, name: str):
        return getattr(self._terms, name)

    def entry(self, fieldname: str, text: str | bytes):
        """The term's table entry, or None; ``text`` as the field's bytes or as text."""
        key = (fieldname, text)
        try:
            return self._infos[key]
        except KeyError:
            pass
        tbytes = text if isinstance(text, bytes) else self._schema[fieldname].to_bytes(text)
        try:
            info = self._terms.term_info(fieldname, tbytes)
        except TermNotFound:
            info = None
        if len(self._infos) >= REMEMBERED_TERMS:
            self._infos.clear()
        self._infos[key] = info
        return info

    def term_info(self, fieldname: str, tbytes: bytes):
        info = self.entry(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def matcher(self, fieldname: str, tbytes: bytes, format_, scorer=None):
        terms = self._terms
        return terms._codec.postings_reader(
            terms._postfile, self.term_info(fieldname, tbytes), format_, (fieldname, tbytes), scorer
        )
