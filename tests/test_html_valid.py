"""Rendered pages are valid HTML according to the Nu HTML Checker (npm package vnu-jar)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Pages a visitor sees; feature modules add theirs here.
ANONYMOUS_PAGES = [
    "/",
    "/login",
    "/tilgaengelighed",
    "/findes-ikke",
    "/vejviser/",
    "/vejviser/groen-linie",
    "/vejviser/maal-og-resultater",
    "/ordliste",
    "/sagsgange/",
    "/sagsgange/?forvaltning=SOF",
    "/sagsgange/samarbejdsmodellen",
    "/emne/samtykke",
    "/soeg",
    "/soeg?q=samtykke",
    "/soeg?q=borger&type=sagsgange&side=1",
    "/soeg?q=xyzzyqwerty",
    "/soeg?q=samtyke",
    "/soeg?q=handlepaln",
]
EDITOR_PAGES = ["/", "/soeg/statistik"]


@pytest.fixture
def vnu():
    if shutil.which("java") is None:
        pytest.skip("Java mangler: Nu HTML Checker kan ikke køre")
    if not VNU.exists():
        pytest.skip("vnu-jar mangler: kør 'npm install' (make test gør det)")
    return VNU


def check_html(vnu: Path, pages: dict[str, str], tmp_path: Path) -> None:
    files = []
    for i, (url, html) in enumerate(pages.items()):
        path = tmp_path / f"side-{i}.html"
        path.write_text(html, encoding="utf-8")
        files.append((url, path))
    done = subprocess.run(
        [
            "java",
            "-jar",
            str(vnu),
            "--errors-only",
            "--format",
            "json",
            *[str(p) for _, p in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    by_file = {str(p): url for url, p in files}
    problems = [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:"
        f"{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert not problems, "\n".join(problems)


def test_pages_are_valid_html(app, client, auth, make_user, vnu, tmp_path):
    from portal import search
    from portal.extensions import db
    from portal.kb.sync import sync_content

    with app.app_context():
        sync_content()
        db.session.commit()
        search.rebuild()
    pages = {}
    for url in ANONYMOUS_PAGES:
        pages[f"anonym {url}"] = client.get(url).get_data(as_text=True)
    pages["login med fejl"] = client.post("/login", data={}).get_data(as_text=True)
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    for url in EDITOR_PAGES:
        pages[f"redaktør {url}"] = client.get(url).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)


def test_the_checker_catches_invalid_html(vnu, tmp_path):
    broken = "<!doctype html><html lang=da><title>x</title><p><div></span></html>"
    with pytest.raises(AssertionError, match="Stray end tag"):
        check_html(vnu, {"ødelagt": broken}, tmp_path)
