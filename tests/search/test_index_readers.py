"""A Whoosh change opens only what changed: the thread's searcher keeps the readers of the
segments a commit left alone, and sees every commit (additions, replacements, deletions)."""

from portal.search import index
from portal.search.registry import SearchDocument


def doc(key: str, title: str) -> SearchDocument:
    return SearchDocument(source="test", key=key, kind="vejviser", title=title, url=f"/t/{key}")


def stored(directory: str) -> dict[str, str]:
    searcher = index.searcher(directory)
    return {fields["id"]: fields["title"] for fields in searcher.all_stored_fields()}


def leaves(directory: str) -> list:
    return [reader for reader, _ in index.searcher(directory).reader().leaf_readers()]


def test_a_change_keeps_the_readers_of_untouched_segments(tmp_path):
    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in (doc("a", "Alfa"), doc("b", "Beta"))], 5)
    index.write(directory, [("test:c", doc("c", "Gamma"))], 5)
    before = leaves(directory)

    index.write(directory, [("test:d", doc("d", "Delta"))], 5)

    after = leaves(directory)
    assert len(after) == len(before) + 1
    assert all(any(old is new for new in after) for old in before)
    assert stored(directory) == {
        "test:a": "Alfa",
        "test:b": "Beta",
        "test:c": "Gamma",
        "test:d": "Delta",
    }


def test_replacements_and_deletions_are_seen_at_once(tmp_path):
    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in (doc("a", "Alfa"), doc("b", "Beta"))], 5)
    assert stored(directory) == {"test:a": "Alfa", "test:b": "Beta"}

    # A replacement: the old version goes, in the segment that is kept open
    index.write(directory, [("test:a", doc("a", "Alfa to"))], 5)
    assert stored(directory) == {"test:a": "Alfa to", "test:b": "Beta"}
    index.write(directory, [("test:a", doc("a", "Alfa tre"))], 5)
    assert stored(directory) == {"test:a": "Alfa tre", "test:b": "Beta"}

    # A commit that only deletes
    index.write(directory, [("test:b", None)], 5)
    assert stored(directory) == {"test:a": "Alfa tre"}
    assert index.searcher(directory).doc_count() == 1


def test_a_segment_with_a_new_deletion_keeps_its_open_files(tmp_path):
    """Replacing a page deletes its old version in a segment that is otherwise unchanged: the
    next searcher reads that segment through the files already open (opening a large segment
    again was most of a change's wait), and neither finds nor counts the old version."""
    from whoosh import query as Q

    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in (doc("a", "Alfa"), doc("b", "Beta"))], 5)
    (base,) = leaves(directory)

    index.write(directory, [("test:a", doc("a", "Gamma"))], 5)

    kept, _new = leaves(directory)
    assert kept is not base and kept._terms is base._terms and kept._perdoc is not base._perdoc
    assert not base.has_deletions() and kept.has_deletions()
    searcher = index.searcher(directory)
    assert [h["title"] for h in searcher.search(Q.Term("title", "alfa"))] == []
    assert [h["title"] for h in searcher.search(Q.Term("title", "gamma"))] == ["Gamma"]
    assert searcher.doc_count() == 2 and stored(directory) == {"test:a": "Gamma", "test:b": "Beta"}


def test_a_compounds_pairs_are_terms_but_not_words_of_the_fields_length(tmp_path):
    """BM25 divides by a field's length: a page's many compounds must not make it rank lower
    for its other words (pairs are no words; the "Mente du" candidates never offer one)."""
    from portal.search.whoosh_search import near_terms

    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [("test:a", doc("a", "Rusmiddelbehandling tilbud"))], 5)
    reader = index.searcher(directory).reader()
    assert reader.doc_frequency("title", "rusmiddel+behandling") == 1
    words = ["rusmiddelbehandling", "rusmiddel", "behandling", "tilbud"]  # the word, its parts
    assert reader.doc_field_length(0, "title") == len(words)
    assert "+" not in "".join(near_terms(reader, "title", "rusmiddel+behandlin", 2, 2))


def test_a_query_on_many_pages_records_the_same_terms_and_order_as_whoosh(tmp_path):
    """A strict query on more than ``COMMON_PAGES`` pages is read ahead and its hits' terms
    recorded from the postings afterwards (``_within_budget``): the same hits, scores and
    matched terms as Whoosh's own ``terms=True``, which the ranking and highlights read."""
    from whoosh import query as Q

    from portal.search.engine import COMMON_PAGES
    from portal.search.whoosh_search import _within_budget

    words = ["handleplan", "hotline", "bolig", "misbrug"]
    docs = [doc(str(i), f"{words[i % 4]} {words[i % 3]} side {i}") for i in range(2 * COMMON_PAGES)]
    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in docs], 5)
    s = index.searcher(directory)

    def query():
        def either(*terms):
            return Q.Or([Q.Term(name, t) for t in terms for name in ("title", "name", "tags")])

        return Q.And([either("sid"), either("handleplan", "bolig", "misbrug")])

    assert query().estimate_size(s.reader()) > COMMON_PAGES
    ours = _within_budget(s, query(), 500, every=True)
    theirs = s.search(query(), limit=500, terms=True)
    assert ours.scored_length() == theirs.scored_length() > COMMON_PAGES
    assert [(h.docnum, round(h.score, 9)) for h in ours] == [
        (h.docnum, round(h.score, 9)) for h in theirs
    ]
    assert {h.docnum: sorted(h.matched_terms()) for h in ours} == {
        h.docnum: sorted(h.matched_terms()) for h in theirs
    }


def test_the_shown_hits_of_a_later_page_are_highlighted(tmp_path):
    """Only the shown hits' word positions are read for their snippets (Whoosh reads them for
    every hit of the results on the first highlight): each hit of page 2 still marks the
    word."""
    from portal import search
    from tests.search.conftest import engine_app

    docs = [
        SearchDocument(
            source="test", key=str(i), kind="vejviser", title=f"Side {i}", url=f"/t/{i}",
            administration="both", summary="", body=f"Tekst om bostøtte nummer {i}.", tags=(),
        )
        for i in range(25)
    ]  # fmt: skip
    with engine_app("whoosh", tmp_path, demo=False) as app:
        with app.app_context():
            search.engine.current().replace_all(docs, len(docs))
        with app.test_request_context():
            first, second = search.search("bostøtte"), search.search("bostøtte", page=2)
    assert first.total == second.total == 25
    shown = second.results
    assert shown and not {r.url for r in shown} & {r.url for r in first.results}
    assert all("<mark>bostøtte</mark>" in str(r.snippet) for r in shown)


def test_a_segment_remembers_its_terms_and_answers_as_whoosh(tmp_path, monkeypatch):
    """A segment's reader looks each term up in its terms file once; what it answers (is the
    term there, how often, on which pages; asked as text or as bytes) is what Whoosh's own
    reader answers."""
    from whoosh import query as Q
    from whoosh.reading import SegmentReader

    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in (doc("a", "Alfa beta"), doc("b", "Beta"))], 5)
    (reader,) = leaves(directory)
    segment = reader.segment()
    plain = SegmentReader(index.open_index(directory).storage, reader.schema, segment)
    asked = [("title", "beta"), ("title", "alfa"), ("title", "gamma"), ("body", "beta")]
    for term in asked + [(name, text.encode()) for name, text in asked]:  # as text and bytes
        assert (term in reader) is (term in plain)
        assert reader.doc_frequency(*term) == plain.doc_frequency(*term)
        assert reader.frequency(*term) == plain.frequency(*term)
    assert list(reader.postings("title", "beta").all_ids()) == [0, 1]
    plain.close()

    lookups = []
    terms = reader._terms
    table = getattr(terms, "_terms", terms)._tindex  # the terms file's hash table
    real_get = type(table).__getitem__

    def get(table, key):
        lookups.append(key)
        return real_get(table, key)

    monkeypatch.setattr(type(table), "__getitem__", get)
    query = Q.Or([Q.Term("title", "beta"), Q.Term("title", "gamma")])
    first = [h["id"] for h in index.searcher(directory).search(query)]
    asked = len(lookups)
    again = [h["id"] for h in index.searcher(directory).search(query)]
    assert first == again and sorted(first) == ["test:a", "test:b"]
    assert len(lookups) == asked  # the second search read no term from the file


def test_a_clause_missing_from_a_segment_builds_no_matcher_there(tmp_path, monkeypatch):
    """The query's OR and AND leave out, in each segment, the clauses with no page there (a
    change's segment holds one page): the same hits and scores as Whoosh's own OR and AND,
    and no matcher is built for a term in a segment that does not have it."""
    from whoosh import query as Q

    from portal.search import whoosh_query as W

    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [(d.doc_id, d) for d in (doc("a", "Alfa beta"), doc("b", "Beta"))], 5)
    index.write(directory, [("test:c", doc("c", "Gamma"))], 5)
    index.write(directory, [("test:d", doc("d", "Beta delta"))], 5)
    s = index.searcher(directory)
    assert len(leaves(directory)) == 3

    def query(o, a, t):
        slot = o([t("title", "alfa", boost=2.0), t("title", "beta"), t("title", "epsilon")])
        return o([a([slot, t("title", "delta")]), a([t("title", "gamma"), t("title", "zeta")]),
                  o([t("title", "gamma"), t("title", "delta")], boost=3.0)])  # fmt: skip

    built: list[tuple[str, int]] = []
    real = Q.Term.matcher

    def matcher(self, searcher, context=None):
        built.append((self.text, searcher.reader().doc_count_all()))
        return real(self, searcher, context)

    monkeypatch.setattr(Q.Term, "matcher", matcher)
    theirs = s.search(query(Q.Or, Q.And, Q.Term), limit=None)
    assert ("zeta", 1) in built  # Whoosh builds one for a term no segment has
    built.clear()
    ours = s.search(query(W.Or, W.And, W.Term), limit=None)
    assert [(h.docnum, round(h.score, 9)) for h in ours] == [
        (h.docnum, round(h.score, 9)) for h in theirs
    ]
    assert sorted(h["id"] for h in ours) == ["test:c", "test:d"]
    assert sorted(built) == [("beta", 1), ("delta", 1), ("delta", 1), ("gamma", 1)]


def test_a_searcher_opens_while_commits_replace_the_index_files(tmp_path, monkeypatch):
    """Under load (the load benchmark's profile edits, several workers) the table of contents
    or a merged segment can be replaced between listing the index and reading it, more than
    once in a row. Opening tries again with the latest generation: such a race must not read
    as a broken index (which answered from the database and rebuilt the whole index)."""
    from portal.search import whoosh_readers

    directory = str(tmp_path / "ix")
    index.create_empty(directory)
    index.write(directory, [("test:a", doc("a", "Alfa"))], 5)
    index.write(directory, [("test:b", doc("b", "Beta"))], 5)  # a new generation to open
    real = whoosh_readers.newer
    races = iter([True, True, True])

    def racing(ix, old):
        if next(races, False):
            raise FileNotFoundError("_MAIN_1.toc")  # replaced by a newer commit meanwhile
        return real(ix, old)

    monkeypatch.setattr(whoosh_readers, "newer", racing)
    index.forget(directory)
    assert stored(directory) == {"test:a": "Alfa", "test:b": "Beta"}
