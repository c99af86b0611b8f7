from importlib import metadata

import pytest

from portal.search.analysis import danish_analyzer


def tokens(text, mode="index"):
    return [t.text for t in danish_analyzer()(text, mode=mode)]


def test_only_whoosh_reloaded_is_installed():
    assert metadata.version("whoosh-reloaded")
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution("Whoosh")


def test_danish_letters_are_never_folded():
    assert tokens("grøn hjælp få", mode="query") == ["grøn", "hjælp", "få"]


def test_only_danish_stop_words_are_dropped():
    assert tokens("IT og samtykke i jobcentret", mode="query") == ["it", "samtyk", "jobcent"]


def test_inflections_share_a_stem():
    assert tokens("handleplan", "query") == tokens("handleplaner", "query")
    assert tokens("kontaktperson", "query") == tokens("kontaktpersoner", "query")


def test_compounds_are_split_at_index_time_only():
    indexed = tokens("beskæftigelsesindsatsen Socialcentrets tilbudspakker")
    assert set(tokens("indsats", "query")) <= set(indexed)
    assert set(tokens("center", "query")) <= set(indexed)
    assert set(tokens("pakke", "query")) <= set(indexed)
    assert tokens("Socialcenter", "query") == ["socialcent"]


def test_empty_text_gives_no_tokens():
    assert tokens("") == [] and tokens("", "query") == []


def test_a_compounds_neighbouring_parts_are_also_one_term_at_its_position():
    analysed = [
        (t.text, t.pos)
        for t in danish_analyzer()("Rusmiddelbehandling tilbud", mode="index", positions=True)
    ]
    assert ("rusmiddel+behandling", 0) in analysed
    assert [text for text, pos in analysed if pos == 1] == ["tilbud"]
    # Words that are no compounds, and queries, have no pairs
    assert not [t for t in tokens("samtykke i sagen", "index") if "+" in t]
    assert not [t for t in tokens("Rusmiddelbehandling", "query") if "+" in t]
