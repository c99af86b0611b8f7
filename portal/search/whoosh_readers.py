"""The readers of a Whoosh index's latest generation for a thread's searcher (``index.searcher``),
keeping what a commit left unchanged."""

from __future__ import annotations

import copy

from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher


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
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
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
