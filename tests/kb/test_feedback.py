"""Reader feedback: a logged-in reader answers "Er siden korrekt og nyttig?" at the end of a guide
or procedure, and it reaches Redaktion; bad input is refused with the text kept."""

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.auth.models import User
from portal.extensions import db
from portal.kb import feedback
from portal.kb.feedback import PageFeedback
from portal.kb.models import Page
from portal.privacy import REFUSED
from tests.conftest import csrf_token
from tests.kb.feedback_helpers import GUIDE, PROCEDURE, form_token, leave, rows


def block(html: str):
    return BeautifulSoup(html, "html.parser").select_one("#tilbagemelding")


def test_reader_feedback_reaches_redaktion(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com", name="Lise Læser")
    auth.login("laeser@example.com")
    response = leave(client, PROCEDURE, "nej", "Trin 3 nævner en blanket, der ikke findes mere.")
    # POST-redirect-GET back to the page, at the feedback block, with a thank-you.
    assert response.status_code == 302
    assert response.headers["Location"] == f"{PROCEDURE}#tilbagemelding"
    page = client.get(PROCEDURE).get_data(as_text=True)
    assert "Tak for din tilbagemelding" in page
    status = block(page).select_one(".feedback-status").get_text(" ", strip=True)
    assert "Tak for dit svar «Nej»" in status
    assert block(page).select_one("textarea").get_text().strip().startswith("Trin 3")
    assert [(r["slug"], r["useful"], r["handled"]) for r in rows(app)] == [
        ("samarbejdsmodellen", False, False)
    ]

    auth.logout()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    overview = BeautifulSoup(client.get("/redaktion").get_data(as_text=True), "html.parser")
    section = overview.select_one("[aria-labelledby=r-tilbagemeldinger]")
    assert "Tilbagemeldinger fra læsere (1)" in section.get_text()
    link = section.find("a", string="Samarbejdsmodellen i syv trin")
    assert link["href"] == "/redaktion/tilbagemeldinger/samarbejdsmodellen"
    assert "1 åben, heraf 1 «nej»" in section.get_text(" ", strip=True)
    assert "Trin 3 nævner en blanket" in section.get_text()

    listing = BeautifulSoup(client.get(link["href"]).get_data(as_text=True), "html.parser")
    item = listing.select_one("[aria-labelledby=aabne] .feedback-item")
    assert "fra Lise Læser" in item.get_text(" ", strip=True)
    assert "Trin 3 nævner en blanket" in item.select_one("blockquote").get_text()
    assert item.find("button", string="Marker som behandlet")


def test_a_new_answer_replaces_the_unhandled_one(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    leave(client, GUIDE, "nej", "Stavefejl i overskriften")
    leave(client, GUIDE, "ja", "")
    (only,) = rows(app)
    assert (only["useful"], only["comment"]) == (True, None)
    # The form shows the current answer, to change it.
    checked = block(client.get(GUIDE).get_data(as_text=True)).select_one("input[checked]")
    assert checked["value"] == "ja"


def test_a_bare_yes_is_counted_but_asks_nothing_of_the_editors(
    app, client, auth, make_user, synced
):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    leave(client, GUIDE, "ja", "")
    auth.logout()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    overview = client.get("/redaktion").get_data(as_text=True)
    assert "Tilbagemeldinger fra læsere (0)" in overview
    listing = client.get("/redaktion/tilbagemeldinger/groen-linie").get_data(as_text=True)
    assert "Svar i alt: 1 «ja» og 0 «nej»." in listing
    assert "Ingen åbne tilbagemeldinger." in listing


def test_a_cpr_number_is_refused_and_the_text_kept(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    text = "Borgeren med cpr 010190–1234 blev afvist i trin 2"
    response = leave(client, GUIDE, "nej", text)
    assert response.status_code == 400
    html = block(response.get_data(as_text=True))
    assert html.select_one("#tilbagemelding-comment-fejl").get_text(strip=True) == REFUSED
    assert html.select_one("textarea")["aria-invalid"] == "true"
    assert html.select_one("textarea").get_text().strip() == text
    assert html.select_one("input[checked]")["value"] == "nej"
    assert rows(app) == []


def test_the_flush_guard_holds_for_feedback(app, make_user, synced):
    """Whatever a service misses, no comment or reply with a CPR number reaches the database."""
    user = make_user("staff")
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
        for field in ("comment", "reply"):
            db.session.add(
                PageFeedback(
                    page_id=page.id, user_id=user.id, useful=False, **{field: "0101901234"}
                )
            )
            try:
                db.session.flush()
            except Exception as error:
                assert REFUSED in str(error)
            else:
                raise AssertionError(f"a CPR number in {field} was saved")
            db.session.rollback()


def test_a_long_comment_and_a_missing_answer_are_refused(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    long_text = "ord " * 501  # 2,004 characters, 2,003 once stripped
    response = leave(client, GUIDE, None, long_text)
    assert response.status_code == 400
    html = block(response.get_data(as_text=True))
    assert "Vælg ja eller nej." in html.select_one("#tilbagemelding-useful-fejl").get_text()
    comment_error = html.select_one("#tilbagemelding-comment-fejl").get_text()
    assert "Teksten er 2003 tegn. Den må højst være 2000 tegn." in comment_error
    assert html.select_one("textarea").get_text().strip() == long_text.strip()
    assert rows(app) == []
    assert leave(client, GUIDE, "nej", "x" * 2000).status_code == 302  # the limit itself is fine


def test_anonymous_readers_are_asked_to_log_in(app, client, synced):
    html = block(client.get(GUIDE).get_data(as_text=True))
    assert html.find("form") is None
    link = html.find("a", string="Log ind")
    assert link["href"] == "/login?next=/vejviser/groen-linie%23tilbagemelding"
    token = csrf_token(client)
    response = client.post(
        f"{GUIDE}/tilbagemelding",
        data={"csrf_token": token, "tilbagemelding-useful": "nej"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert rows(app) == []


def test_feedback_on_an_unpublished_page_is_not_found(app, client, auth, make_user, synced):
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    token = form_token(client.get(GUIDE).get_data(as_text=True), "tilbagemelding")
    with app.app_context():
        db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie")).published = False
        db.session.commit()
    response = client.post(
        f"{GUIDE}/tilbagemelding",
        data={"tilbagemelding-csrf_token": token, "tilbagemelding-useful": "ja"},
    )
    assert response.status_code == 404
    assert rows(app) == []


def test_a_double_click_leaves_one_answer(app, make_user, synced, monkeypatch):
    """Two requests that both found no open answer: the second insert meets the database's
    one-open-answer index and replaces the first's answer instead of failing."""
    user = make_user("staff")
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
        author = db.session.get(User, user.id)
        feedback.leave(page, author, False, "første klik")
        db.session.commit()
        real_open_item = feedback.open_item
        looks = []

        def first_look_finds_nothing(p, u):  # as in the racing request
            looks.append(1)
            return None if len(looks) == 1 else real_open_item(p, u)

        monkeypatch.setattr(feedback, "open_item", first_look_finds_nothing)
        feedback.leave(page, author, True, "andet klik")
        db.session.commit()
    assert len(looks) == 2  # the insert failed on the index, and the second look found it
    (only,) = rows(app)
    assert (only["useful"], only["comment"]) == (True, "andet klik")
