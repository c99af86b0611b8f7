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
