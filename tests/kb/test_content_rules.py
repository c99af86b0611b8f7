"""Rules for the content files themselves (issue 13), read straight from content/: no app or
database. The procedures that claim the samarbejdsmodel follow its order and owners; retired
terms are gone; every internal link and `related` slug resolves; old slugs redirect; each page
says at most once what the sources do not say; every page body has a LIX of at most 40."""

import re
from pathlib import Path

import pytest

from portal.kb.content import GLOSSARY_SLUG, ContentFile, read_all
from portal.kb.lix import lix, plain_text

CONTENT = Path(__file__).resolve().parents[2] / "content"
MODEL_SLUG = "samarbejdsmodellen"
SOURCES_SLUG = "om-kilderne"

# Terms with one agreed form (issue 13, "one form for each term"). Banned everywhere: page text,
# titles, summaries, tags, step fields and glossary synonyms.
DO_NOT_USE = {
    r"avanceret sagsbehandling": "fremskudt sagsbehandling",
    r"call[- ]cent": "callcenter",
    r"teamleder": "teamchef",
    r"jobkonsulent": "jobvejleder",
    r"SOF's ene indgang": "SOF's entydige indgang",
    r"én indgang": "SOF's entydige indgang",
    r"fælles indgang": "SOF's entydige indgang",
    r"BIF-SOF [Pp]ortal": "BIF-SOF-portalen",
    r"\d\s*(?:procent|pct\.?)(?!\w)": "%",
}
# Allowed as a search synonym in the glossary (staff type it), but not in the portal's own text.
# Text in double quotes is a document's or project's own name and is left as it is.
NOT_IN_TEXT = {r"fælles borger": "fællesborger"}

# A sentence that says what the sources (or the portal) do not know.
SILENCE = re.compile(
    r"\b(?:portalen|kilderne|kildedokumenterne|dokumenterne)\s+"
    r"(?:ved|kender|siger|nævner|beskriver|giver|forklarer)\s+(?:heller\s+)?(?:ikke|ingen)\b",
    re.IGNORECASE,
)
INTERNAL_LINK = re.compile(r"\]\((/(?:vejviser|sagsgange)/[^)#\s]*)")
FOLDER_BY_KIND = {"guide": "vejviser", "procedure": "sagsgange"}


@pytest.fixture(scope="module")
def files() -> list[ContentFile]:
    return read_all(CONTENT)


def by_slug(files) -> dict[str, ContentFile]:
    return {f.slug: f for f in files}


def redirects(files) -> dict[str, str]:
    """Old slug -> the slug of the page that replaced it."""
    return {old: f.slug for f in files for old in f.meta.redirect_from}


def texts(f: ContentFile) -> list[tuple[str, str]]:
    """(where, text) for every piece of text a reader or the search sees."""
    meta = f.meta
    out = [("body", f.body), ("title", meta.title), ("summary", meta.summary)]
    out += [("tags", tag) for tag in meta.tags]
    if f.kind == "procedure":
        out.append(("trigger", meta.trigger))
        for n, step in enumerate(meta.steps, start=1):
            for field in ("title", "text", "deadline", "document", "contact"):
                if value := getattr(step, field):
                    out.append((f"steps.{n}.{field}", value))
    for term in getattr(meta, "terms", None) or []:
        out += [("term", term.term), ("terms", term.definition), ("terms", term.long or "")]
        out += [("synonyms", synonym) for synonym in term.synonyms]
    return out


# --- the samarbejdsmodel ---------------------------------------------------------------------


def test_the_model_has_seven_numbered_steps(files):
    model = by_slug(files)[MODEL_SLUG]
    assert model.meta.follows_model
    assert [s.model_step for s in model.meta.steps] == list(range(1, 8))


def test_procedures_that_follow_the_model_keep_its_order_and_owners(files):
    model = by_slug(files)[MODEL_SLUG]
    owner_of = {s.model_step: s.owner for s in model.meta.steps}
    following = [f for f in files if f.kind == "procedure" and f.meta.follows_model]
    assert len(following) >= 6
    for f in following:
        numbers = [s.model_step for s in f.meta.steps if s.model_step is not None]
        assert numbers, f"{f.slug}: follows_model men ingen model_step"
        assert numbers == sorted(numbers), f"{f.slug}: trinene står ikke i modellens rækkefølge"
        for step in f.meta.steps:
            if step.model_step is None:
                continue
            expected = owner_of[step.model_step]
            # A model step owned by one administration keeps that owner; the steps that name
            # both (5-7) may be split into one step per administration.
            assert expected == "both" or step.owner == expected, (
                f"{f.slug}: '{step.title}' er modellens trin {step.model_step}, "
                f"som {expected} ejer, men har ejer {step.owner}"
            )


def test_only_the_model_page_writes_out_the_seven_steps(files):
    """Other pages link to samarbejdsmodellen instead of copying its list."""
    pattern = re.compile(r"^\s*7\.\s", re.MULTILINE)
    for f in files:
        if f.slug != MODEL_SLUG:
            assert not pattern.search(f.body), f"{f.slug}: en nummereret liste med syv trin"


def test_pages_that_follow_the_model_link_to_it(files):
    for f in files:
        if f.kind == "procedure" and f.meta.follows_model and f.slug != MODEL_SLUG:
            assert "/sagsgange/samarbejdsmodellen" in f.body, f.slug


# --- one form for each term ------------------------------------------------------------------


def test_no_page_uses_a_retired_term(files):
    found = []
    for f in files:
        for where, text in texts(f):
            for pattern, instead in DO_NOT_USE.items():
                if re.search(pattern, text, re.IGNORECASE):
                    found.append(f"{f.path} ({where}): '{pattern}' - skriv '{instead}'")
            if where in ("term", "synonyms"):  # a term may be a document's name
                continue
            unquoted = re.sub(r'"[^"\n]*"', "", text)
            for pattern, instead in NOT_IN_TEXT.items():
                if re.search(pattern, unquoted, re.IGNORECASE):
                    found.append(f"{f.path} ({where}): '{pattern}' - skriv '{instead}'")
    assert not found, "\n".join(found)


def test_glossary_keeps_the_search_spelling_of_groen_linie(files):
    glossary = by_slug(files)[GLOSSARY_SLUG]
    terms = {t.term: t for t in glossary.meta.terms}
    assert "grøn linje" in terms["Grøn linie"].synonyms


def test_glossary_terms_and_synonyms_are_unique(files):
    glossary = by_slug(files)[GLOSSARY_SLUG]
    seen: dict[str, str] = {}
    for term in glossary.meta.terms:
        for word in [term.term, *term.synonyms]:
            key = word.casefold()
            assert key not in seen or seen[key] == term.term, (
                f"'{word}' står både under '{seen.get(key)}' og '{term.term}'"
            )
            seen[key] = term.term


# --- links, related pages and old addresses --------------------------------------------------


def test_internal_links_resolve(files):
    pages = {(FOLDER_BY_KIND[f.kind], f.slug) for f in files}
    old = redirects(files)
    broken = []
    for f in files:
        sources = [f.body]
        if f.kind == "procedure":
            sources += [step.text for step in f.meta.steps]
        for source in sources:
            for url in INTERNAL_LINK.findall(source):
                folder, _, slug = url.strip("/").partition("/")
                if (folder, slug) not in pages and slug not in old:
                    broken.append(f"{f.path}: {url}")
    assert not broken, "\n".join(broken)


def test_related_slugs_resolve(files):
    known = set(by_slug(files)) | set(redirects(files))
    for f in files:
        assert f.slug not in f.meta.related, f"{f.slug} peger på sig selv"
        assert set(f.meta.related) <= known, f.slug


def test_old_slugs_redirect_to_one_existing_page(files):
    slugs = set(by_slug(files))
    seen: dict[str, str] = {}
    for f in files:
        for old in f.meta.redirect_from:
            assert old not in slugs, f"{old} er stadig en side og kan ikke også omdirigeres"
            assert old not in seen, f"{old} omdirigeres fra både {seen[old]} og {f.slug}"
            seen[old] = f.slug


def test_renamed_and_merged_pages_keep_their_old_addresses(files):
    old = redirects(files)
    assert old["avanceret-sagsbehandling"] == "fremskudt-sagsbehandling"
    assert old["koordineringsmoede-paa-raadgivningscenter"] == "fremskudt-sagsbehandling"
    assert old["opret-groen-linie"] == "groen-linie"
    renamed = "laengerevarende-beskaeftigelsesrettede-tilbud"
    assert old["langvarige-beskaeftigelsestilbud"] == renamed
    assert old["markering-i-it-systemer"] == "borger-i-jobcentret-har-brug-for-sof"
    assert old["besked-ved-ophoer-af-ydelse"] == "borger-henvender-sig-til-sof-efter-sanktion"


# --- what the sources do not say -------------------------------------------------------------


def test_each_page_says_once_what_the_sources_do_not_say_and_links_to_om_kilderne(files):
    assert SOURCES_SLUG in by_slug(files)
    for f in files:
        if f.slug == SOURCES_SLUG:
            continue
        lines = [p for p in re.split(r"\n\s*\n", f.body) if SILENCE.search(p)]
        assert len(lines) <= 1, f"{f.slug}: {len(lines)} afsnit om, hvad kilderne ikke siger"
        if lines:
            assert f"/vejviser/{SOURCES_SLUG}" in lines[0], f"{f.slug}: linker ikke til Om kilderne"
        for step in getattr(f.meta, "steps", None) or []:
            assert not SILENCE.search(step.text), f"{f.slug}: '{step.title}'"


# --- readability -----------------------------------------------------------------------------


def test_every_page_has_a_lix_of_at_most_40(files):
    scores = {f.slug: round(lix(plain_text(f.body)), 1) for f in files}
    too_hard = {slug: score for slug, score in scores.items() if score > 40}
    assert not too_hard, too_hard


def test_lix_counts_words_sentences_and_long_words():
    assert lix("Jeg går hjem. Du bliver her.") == 3.0
    # 4 words, 1 sentence, 2 long words ("Socialforvaltningen", "handleplan"): 4 + 50.
    assert lix("Socialforvaltningen laver en handleplan.") == 54.0
    text = plain_text("## Kort fortalt\n\n| a | b |\n|---|---|\n\nSe [siden](/vejviser/x-y-z).\n")
    assert text.split() == ["Kort", "fortalt.", "Se", "siden."]
