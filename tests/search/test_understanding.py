"""The engine-independent query analysis (issue 12): question words, ASCII spellings, compound
splitting against the dictionary, synonyms (shipped and the glossary's), partial words."""

from __future__ import annotations

from portal.search import lexicon, synonyms, understanding
from portal.search.understanding import FOLDED, LITERAL, PARTS, SYNONYM, Alternative, plan


class Vocabulary:
    """An index that knows ``words``."""

    def __init__(self, *words: str):
        self.words = set(words)

    def knows(self, word: str) -> bool:
        return word in self.words

    def completions(self, prefix: str, limit: int) -> list[str]:
        return sorted(w for w in self.words if w.startswith(prefix))[:limit]


def alternatives(text: str, groups=(), vocabulary=None) -> list[list[Alternative]]:
    return [list(slot.alternatives) for slot in plan(text, groups, vocabulary).slots]


def test_question_words_and_borger_do_not_count():
    found = plan("Hvem skal jeg ringe til i SOF")
    assert found.words == ["sof"]
    assert {"hvem", "skal", "jeg", "ringe"} <= set(found.dropped)
    assert plan("hvordan opretter jeg grøn linie for en borger").words == [
        "opretter",
        "grøn",
        "linie",
    ]


def test_a_query_of_question_words_only_is_still_searched():
    assert plan("borger").words == ["borger"]
    assert plan("hvordan skal jeg").words == ["hvordan"]  # "skal", "jeg" are stop words


def test_ascii_spellings_are_folded_only_to_words():
    assert alternatives("groen")[0][1] == Alternative(("grøn",), FOLDED)
    assert ("førtidspension",) in [a.words for a in alternatives("foertidspension")[0]]
    assert ("ældre",) in [a.words for a in alternatives("aeldre")[0]]
    assert ("gældsrådgivning",) in [a.words for a in alternatives("gaeldsraadgivning")[0]]
    # "poetisk" has "oe", but "pøtisk" is no word
    assert alternatives("poetisk") == [[Alternative(("poetisk",), LITERAL)]]


def test_a_word_the_index_knows_is_not_folded():
    assert alternatives("aagaard", vocabulary=Vocabulary("aagaard"))[0] == [
        Alternative(("aagaard",), LITERAL)
    ]
    assert understanding.folded("groen", Vocabulary("groen")) == []
    assert understanding.folded("groen", Vocabulary()) == ["grøn"]


def test_compounds_are_split_against_the_dictionary():
    assert lexicon.split("misbrugsproblemer") == ("misbrug", "problemer")
    assert lexicon.split("samtykkeerklæringen") == ("samtykke", "erklæringen")
    assert lexicon.split("beskæftigelsesindsats") == ("beskæftigelse", "indsats")
    assert lexicon.split("rusmiddelbehandling") == ("rusmiddel", "behandling")  # a domain word
    # ordinary words and derivations stay whole
    assert lexicon.split("samtykke") == ()
    assert lexicon.split("sanktion") == ()
    assert lexicon.split("hjemløshed") == ()
    # the index holds the parts of parts too
    assert {"stof", "misbrug", "behandling"} <= set(lexicon.all_parts("stofmisbrugsbehandling"))


def test_the_index_vocabulary_feeds_the_splitter():
    assert lexicon.split("qwertbehandling") == ()
    assert lexicon.split("qwertbehandling", Vocabulary("qwert").knows) == ("qwert", "behandling")


def test_a_typed_compound_searches_the_word_first_and_its_parts_below():
    first, parts = alternatives("misbrugsproblemer")[0]
    assert first == Alternative(("misbrugsproblemer",), LITERAL)
    assert parts.words == ("misbrug", "problemer") and parts.weight == PARTS < LITERAL


def test_a_compound_part_may_be_a_synonym():
    groups = [["misbrug", "rusmiddel", "druk"]]
    _, parts = alternatives("rusmiddelbehandling", groups)[0]
    assert parts.words == ("rusmiddel", "behandling")
    assert "misbrug" in parts.also[0]


def test_synonyms_weigh_less_than_the_word_itself():
    slot = plan("druk", [["misbrug", "druk", "narkotika"]]).slots[0]
    assert slot.alternatives[0] == Alternative(("druk",), LITERAL)
    assert {a.words for a in slot.alternatives[1:]} == {("misbrug",), ("narkotika",)}
    assert all(a.weight == SYNONYM < FOLDED for a in slot.alternatives[1:])


def test_a_phrase_synonym_is_matched_in_its_ascii_spelling():
    slot = plan("groen linie", [["Grøn linie", "grøn linje"]]).slots[0]
    assert slot.text == "groen linie"
    assert Alternative(("grøn", "linie"), FOLDED) in slot.alternatives
    assert Alternative(("grøn", "linje"), SYNONYM) in slot.alternatives


def test_a_phrase_synonym_is_matched_in_another_inflection():
    slot = plan("aktivering af psykisk syge", [["psykisk sygdom", "psykisk syg"]]).slots[-1]
    assert slot.text == "psykisk syge"
    assert Alternative(("psykisk", "sygdom"), SYNONYM) in slot.alternatives


def test_the_shipped_synonyms_parse():
    groups = synonyms.parse("# comment\nmisbrug, druk ,narkotika\nalone\n\nbolig, hjemløs # x")
    assert groups == [["misbrug", "druk", "narkotika"], ["bolig", "hjemløs"]]


def test_the_shipped_synonym_file_has_the_everyday_words(app):
    with app.app_context():
        groups = synonyms.shipped()
    words = {w for g in groups for w in g}
    assert {"druk", "narkotika", "misbrug", "bolig", "hjemløs"} <= words


def test_a_last_word_may_be_a_word_start():
    found = understanding.with_prefix(plan("misb"), Vocabulary("misbrug", "misbrugere", "mis"))
    assert found is not None
    words = [a.words for a in found.slots[0].alternatives]
    assert ("misbrug",) in words and ("misbrugere",) in words
    assert any(a.prefix for a in found.slots[0].alternatives)
    assert understanding.with_prefix(plan("mi"), Vocabulary("misbrug")) is None
    assert understanding.with_prefix(plan("samtyke"), Vocabulary("samtykke")) is None


def test_whoosh_leaves_out_a_synonym_that_finds_nothing_more():
    """A synonym with the typed word's stems ("jobcentret"), or those and more ("jobcenter
    københavn"), finds only pages the typed word finds: Whoosh's query does without it. A
    synonym that finds other pages stays."""
    from portal.search.whoosh_query import build

    groups = [["jobcenter", "jobcentret", "jobcenter københavn", "jobcentre", "beskæftigelse"]]
    (slot,) = build(plan("jobcenter", groups)).slots
    words = {term.text for term in slot.leaves() if term.fieldname == "title"}
    assert {"jobcent", "beskæftig"} <= words and "københavn" not in words
    assert len([t for t in slot.leaves() if t.fieldname == "title" and t.text == "jobcent"]) == 1
