"""Editing guides and procedures in the browser: save with a revision, steps added, moved and
removed without JavaScript, compare two revisions, restore, racing edits, renames, bad input
and publication (issue 11)."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token
from tests.kb.editing_helpers import form_data, page, revisions_of, soup

PROCEDURE = "borger-henvender-sig-til-sof-efter-sanktion"
EDIT = f"/sagsgange/{PROCEDURE}/rediger"


@pytest.fixture
def editor(synced, auth, make_user):
    user = make_user("editor", email="red@example.com", name="Rikke Redaktør")
    auth.login("red@example.com")
    return user


def test_an_editor_changes_a_step_and_the_page_shows_it_with_a_revision(app, client, editor):
    data = form_data(client.get(EDIT))
    assert data["steps-0-owner"] == "BIF"
    data |= {
        "steps-0-owner": "both",
        "steps-0-text": "Giv SOF besked samme dag, som ydelsen stopper.",
        "note": "Begge giver besked",
    }
    response = client.post(EDIT, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sagsgange/{PROCEDURE}")
    shown = soup(client.get(f"/sagsgange/{PROCEDURE}")).get_text()
    assert "samme dag, som ydelsen stopper" in shown
    saved = revisions_of(app, PROCEDURE)
    assert [(r.number, r.action) for r in saved] == [(1, "sync"), (2, "edit")]
    assert saved[-1].author_name == "Rikke Redaktør" and saved[-1].note == "Begge giver besked"
    assert saved[-1].state["steps"][0]["owner"] == "both"
    assert page(app, PROCEDURE).edited_in_browser_at is not None


def test_the_change_is_found_by_search_at_once(app, client, editor):
    data = form_data(client.get(EDIT)) | {"body": "Et helt nyt ord: kvæstelsesregister."}
    assert client.post(EDIT, data=data).status_code == 302
    found = client.get("/api/search", query_string={"q": "kvæstelsesregister"}).get_json()
    assert [r["url"] for r in found["results"]] == [f"/sagsgange/{PROCEDURE}"]


def test_steps_are_added_moved_and_removed_without_saving(app, client, editor):
    data = form_data(client.get(EDIT))
    first, second = data["steps-0-title"], data["steps-1-title"]
    count = sum(1 for k in data if k.endswith("-title") and k.startswith("steps-"))

    moved = client.post(EDIT, data=data | {"trin": "ned-0"})
    assert moved.status_code == 200
    after = form_data(moved)
    assert (after["steps-0-title"], after["steps-1-title"]) == (second, first)

    added = form_data(client.post(EDIT, data=after | {"trin": "tilfoej"}))
    assert f"steps-{count}-title" in added and added[f"steps-{count}-title"] == ""

    removed = form_data(client.post(EDIT, data=added | {"trin": f"fjern-{count}"}))
    assert f"steps-{count}-title" not in removed
    assert len(revisions_of(app, PROCEDURE)) == 1  # nothing saved by these buttons

    client.post(EDIT, data=removed)
    steps = [s.title for s in page(app, PROCEDURE).steps]
    assert steps[:2] == [second, first] and len(steps) == count


def test_preview_without_javascript_renders_and_saves_nothing(app, client, editor):
    data = form_data(client.get(EDIT)) | {"body": "**Fed** <script>alert(1)</script>"}
    response = client.post(EDIT, data=data | {"forhaandsvis": "Forhåndsvis"})
    preview = soup(response).select_one("#forhaandsvisning")
    assert preview.select_one("strong").get_text() == "Fed"
    assert not preview.select("script")
    assert len(revisions_of(app, PROCEDURE)) == 1


def test_the_shared_preview_marks_glossary_terms_for_pages(client, editor):
    token = csrf_token(client, EDIT)
    url = "/redaktion/forhaandsvisning"
    page_html = client.post(url, data={"csrf_token": token, "body": "BIF", "glossary": "1"})
    news_html = client.post(url, data={"csrf_token": token, "body": "BIF"})
    assert "<abbr" in page_html.get_data(as_text=True)
    assert "<abbr" not in news_html.get_data(as_text=True)


def _edit_twice(client):
    data = form_data(client.get(EDIT))
    client.post(EDIT, data=data | {"steps-0-title": "Giv SOF besked med det samme"})
    data = form_data(client.get(EDIT))
    client.post(EDIT, data=data | {"summary": "Et nyt resumé.", "note": "Nyt resumé"})


def test_two_revisions_compared_word_by_word_and_step_by_step(app, client, editor):
    _edit_twice(client)
    html = soup(client.get(f"/sagsgange/{PROCEDURE}/sammenlign?fra=1&til=3"))
    steps = html.select_one(".diff-steps").get_text(" ")
    assert "Trin 1" in steps and "ændret" in steps
    deleted = [d.get_text() for d in html.select(".diff-steps del")]
    inserted = [i.get_text() for i in html.select(".diff-steps ins")]
    assert any("når ydelsen stopper" in d for d in deleted)
    assert any("med det samme" in i for i in inserted)
    # Not colour alone: each change says what it is to a screen reader.
    assert all(d.select_one(".visually-hidden").get_text() == "slettet: " for d in html("del")[1:])
    assert "Resumé" in html.select_one(".diff-fields").get_text()


def test_restore_makes_an_earlier_revision_current_as_a_new_one(app, client, editor):
    _edit_twice(client)
    original = revisions_of(app, PROCEDURE)[0].state
    token = csrf_token(client, f"/sagsgange/{PROCEDURE}/historik")
    version = page(app, PROCEDURE).version
    response = client.post(
        f"/sagsgange/{PROCEDURE}/historik/1/gendan",
        data={"csrf_token": token, "version": str(version)},
    )
    assert response.status_code == 302
    saved = revisions_of(app, PROCEDURE)
    assert [r.action for r in saved] == ["sync", "edit", "edit", "restore"]
    assert saved[-1].state == original
    assert saved[-1].note == "Gendannet fra version 1"
    assert page(app, PROCEDURE).summary == original["summary"]


def test_restore_is_only_a_post_with_the_current_version(app, client, editor):
    _edit_twice(client)
    url = f"/sagsgange/{PROCEDURE}/historik/1/gendan"
    assert client.get(url).status_code == 405
    token = csrf_token(client, f"/sagsgange/{PROCEDURE}/historik")
    stale = client.post(url, data={"csrf_token": token, "version": "1"}, follow_redirects=True)
    assert "ændret af en anden" in stale.get_data(as_text=True)
    assert len(revisions_of(app, PROCEDURE)) == 3


def test_a_racing_edit_is_refused_shows_their_change_and_keeps_the_text(
    app, client, editor, make_user
):
    mine = form_data(client.get(EDIT))
    other = app.test_client()
    make_user("editor", email="anden@example.com", name="Anden Redaktør")
    from tests.conftest import Auth

    Auth(other).login("anden@example.com")
    theirs = form_data(other.get(EDIT))
    assert other.post(EDIT, data=theirs | {"title": "Andens nye titel"}).status_code == 302

    response = client.post(EDIT, data=mine | {"body": "Min lange tekst, som ikke må gå tabt."})
    assert response.status_code == 409
    html = soup(response)
    assert "ændret af en anden" in html.select_one(".error-summary").get_text()
    assert "Min lange tekst" in html.select_one("#body").get_text()
    their_change = html.select_one(".their-changes").get_text(" ")
    assert "Titel" in their_change and "Andens nye titel" in their_change
    assert page(app, PROCEDURE).title == "Andens nye titel"
    # The form now carries the version it was shown with: saving again is accepted.
    again = client.post(EDIT, data=form_data(response))
    assert again.status_code == 302
    assert "Min lange tekst" in page(app, PROCEDURE).body_source


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Skal udfyldes"),
        ({"steps-0-title": ""}, "steps-0-title", "Skal udfyldes"),
        ({"body": "Borgeren 010203-1234 ringede."}, "body", "CPR-nummer"),
        ({"steps-1-text": "CPR 0102031234"}, "steps-1-text", "CPR-nummer"),
        ({"body": "x" * 200_001}, "body", "for lang"),
        ({"slug": "groen-linie"}, "slug", "allerede den adresse"),
        ({"slug": "Æble kage"}, "slug", "små bogstaver"),
        ({"owner": "Ukendt Person"}, "owner", "Vælg en ejer"),
        ({"related": "findes-ikke"}, "related", "findes-ikke"),
        ({"steps-0-owner": "KK"}, "steps-0-owner", "BIF, SOF"),
    ],
)
def test_bad_input_is_refused_on_the_field_and_nothing_is_saved(
    app, client, editor, change, field, message
):
    data = form_data(client.get(EDIT))
    response = client.post(EDIT, data=data | change)
    assert response.status_code == 400
    html = soup(response)
    error = html.select_one(f"#{field}-fejl")
    assert error is not None and message in error.get_text(), html.select(".field-error")
    assert len(revisions_of(app, PROCEDURE)) == 1
    assert page(app, PROCEDURE).edited_in_browser_at is None


def test_a_rename_leaves_a_redirect(app, client, editor):
    data = form_data(client.get(EDIT)) | {"slug": "sanktion-og-sof"}
    assert client.post(EDIT, data=data).status_code == 302
    old = client.get(f"/sagsgange/{PROCEDURE}")
    assert old.status_code == 301 and old.headers["Location"].endswith("/sagsgange/sanktion-og-sof")
    assert client.get("/sagsgange/sanktion-og-sof").status_code == 200


def test_a_new_guide_is_created_published_and_has_a_first_revision(app, client, editor):
    url = "/vejviser/ny"
    data = form_data(client.get(url)) | {
        "title": "Tolkebistand i begge forvaltninger",
        "summary": "Sådan bestiller du tolk.",
        "administration": "both",
        "category": "Praktisk",
        "owner": "BIF-SOF specialenheden",
        "body": "Tolken bestilles af den, der holder mødet.",
        "note": "Ny side",
    }
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/vejviser/tolkebistand-i-begge-forvaltninger")
    assert [r.action for r in revisions_of(app, "tolkebistand-i-begge-forvaltninger")] == ["create"]
    assert "Tolken bestilles" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_ny_is_not_a_page_address(client, editor):
    data = form_data(client.get("/vejviser/ny")) | {"title": "Ny", "summary": "x", "body": "x"}
    data |= {"category": "x", "owner": "BIF-SOF specialenheden", "slug": "ny"}
    response = client.post("/vejviser/ny", data=data)
    assert response.status_code == 400


def test_unpublish_and_publish_again(app, client, editor, auth, make_user):
    history = f"/sagsgange/{PROCEDURE}/historik"
    token = csrf_token(client, history)
    version = page(app, PROCEDURE).version
    client.post(
        f"/sagsgange/{PROCEDURE}/afpublicer", data={"csrf_token": token, "version": version}
    )
    assert client.get(f"/sagsgange/{PROCEDURE}").status_code == 404
    found = client.get("/api/search", query_string={"q": "sanktion"}).get_json()
    assert f"/sagsgange/{PROCEDURE}" not in [r["url"] for r in found["results"]]
    assert "Udgiv siden igen" in client.get(history).get_data(as_text=True)
    version = page(app, PROCEDURE).version
    client.post(f"/sagsgange/{PROCEDURE}/udgiv", data={"csrf_token": token, "version": version})
    assert client.get(f"/sagsgange/{PROCEDURE}").status_code == 200
    assert [r.action for r in revisions_of(app, PROCEDURE)][-2:] == ["unpublish", "publish"]


def test_readers_see_no_editing_links_and_editors_do(client, editor, auth, make_user):
    assert soup(client.get(f"/sagsgange/{PROCEDURE}")).select_one(".editor-links")
    auth.logout()
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    assert not soup(client.get(f"/sagsgange/{PROCEDURE}")).select_one(".editor-links")
    assert client.get(EDIT).status_code == 403


def test_readers_follow_changes_on_the_page_and_in_the_feed(app, client, editor, auth, make_user):
    import feedparser

    data = form_data(client.get(EDIT)) | {"summary": "Nyt resumé.", "note": "Præciseret resumé"}
    client.post(EDIT, data=data)
    auth.logout()
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")

    shown = soup(client.get(f"/sagsgange/{PROCEDURE}")).select_one(".latest-change").get_text()
    assert "Præciseret resumé" in shown
    changes = soup(client.get("/aendringer")).select(".changes-list li")
    assert "Præciseret resumé" in changes[0].get_text()
    diff = changes[0].select_one("a[href*=sammenlign]")
    assert diff["href"].endswith(f"/sagsgange/{PROCEDURE}/sammenlign?fra=1&til=2")
    compared = soup(client.get(diff["href"]))
    assert "Nyt resumé." in compared.select_one(".diff-fields").get_text()
    assert not compared.find("button", string=lambda s: s and "Gendan" in s)  # editors only

    feed = feedparser.parse(client.get("/aendringer.atom").get_data())
    assert not feed.bozo
    first = feed.entries[0]
    assert first.summary == "Præciseret resumé" and first.author == "Rikke Redaktør"
    assert first.link == "http://localhost" + diff["href"]  # the change itself


def test_the_history_of_an_unpublished_page_is_for_editors_only(app, client, editor, auth):
    token = csrf_token(client, f"/sagsgange/{PROCEDURE}/historik")
    version = page(app, PROCEDURE).version
    client.post(
        f"/sagsgange/{PROCEDURE}/afpublicer", data={"csrf_token": token, "version": version}
    )
    assert client.get(f"/sagsgange/{PROCEDURE}/historik").status_code == 200
    auth.logout()
    assert client.get(f"/sagsgange/{PROCEDURE}/historik").status_code == 404
    assert client.get(f"/sagsgange/{PROCEDURE}/sammenlign").status_code == 404
    assert PROCEDURE not in client.get("/aendringer").get_data(as_text=True)


def test_writing_help_shows_lix_broken_links_and_glossary_terms(client, editor):
    body = (
        "Borgeren skal have hjælp fra SOF. Ring til hotline, og se "
        "[grøn linie](/vejviser/groen-linie). Læs også [den gamle side](/vejviser/findes-ikke). "
    ) * 4
    data = form_data(client.get(EDIT)) | {"body": body, "forhaandsvis": "Forhåndsvis"}
    box = soup(client.post(EDIT, data=data)).select_one(".writing-help")
    text = " ".join(box.get_text(" ").split())
    assert "LIX" in text and "for lidt tekst" not in text
    assert (
        "/vejviser/findes-ikke" in text and "/vejviser/groen-linie" not in text.split("findes:")[1]
    )
    assert "SOF" in text.split("ordlisten")[1]


def test_writing_help_says_when_lix_is_over_the_target(client, editor):
    long = "Beskæftigelsesforvaltningens samarbejdsaftaler forudsætter koordinerede handleplaner "
    data = form_data(client.get(EDIT)) | {"body": (long * 10) + ".", "forhaandsvis": "x"}
    box = soup(client.post(EDIT, data=data)).select_one(".writing-help").get_text(" ")
    assert "over målet på 40" in box


def test_a_step_contact_known_to_the_directory_becomes_a_link(app, client, editor):
    from portal.contacts import units

    with app.app_context():
        centre, team = units.ensure("BIF", "Jobcenter København", "Hotline")
        from portal.extensions import db

        db.session.commit()
        centre_id, team_id = centre.id, team.id
    form = client.get(EDIT)
    assert "Hotline" in [o["value"] for o in soup(form).select("datalist#kontakter option")]
    data = form_data(form) | {"steps-0-contact": "hotline", "steps-1-contact": "Nogen andre"}
    client.post(EDIT, data=data)
    steps = soup(client.get(f"/sagsgange/{PROCEDURE}")).select(".lanes li")
    link = steps[0].find("a", string="hotline")
    assert link["href"] == f"/kontaktpersoner/?center={centre_id}&team={team_id}"
    assert steps[1].find("a", string="Nogen andre") is None
