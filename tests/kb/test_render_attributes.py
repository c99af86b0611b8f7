"""Rendered Markdown keeps only the classes and ids the renderer itself makes: a writer cannot
style a link as the portal's own button or message, or take an id the page layout uses."""

from bs4 import BeautifulSoup

from portal.text import Glossary, GlossaryEntry, render


def parsed(source: str, glossary: Glossary | None = None) -> BeautifulSoup:
    return BeautifulSoup(render(source, glossary).html, "html.parser")


def test_writers_classes_are_dropped_and_the_renderers_kept():
    glossary = Glossary([GlossaryEntry("groen-linie", ("grøn linie",), "En aftale", False)])
    page = parsed(
        '<a href="/x" class="button">Klik</a> <span class="flash error">!</span>\n\n'
        "Brug grøn linie.",
        glossary,
    )
    assert page.find("a", href="/x").get("class") is None
    assert page.find("span").get("class") is None
    assert page.find("a", class_="term").get_text() == "grøn linie"


def test_headings_keep_anchors_but_never_a_layout_id():
    page = parsed("## Indhold\n\n## Trin\n\n## Om sagen\n\n<h3 id='x y'>Rå</h3>")
    ids = [h.get("id") for h in page.find_all(["h2", "h3"])]
    assert ids == [None, None, "om-sagen", None]
