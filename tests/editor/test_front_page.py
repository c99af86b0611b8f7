"""The front page: search first, pinned then latest news, shortcuts, and what a contact person
or an editor should look at; visits counted for the "most used" fallback."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.auth import services as auth_services
from portal.contacts import invitations as contacts
from portal.contacts import units
from portal.contacts.models import ContactProfile, Team
from portal.db import utcnow
from portal.editor import services
from portal.editor.models import PageVisit
from portal.extensions import db
from portal.kb.models import Page
from portal.kb.sync import sync_content
from tests.conftest import PASSWORD, csrf_token
from tests.test_html_valid import check_html


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def content(app):
    with app.app_context():
        sync_content()
        db.session.commit()


def test_search_box_comes_first_in_the_content(client):
    main = soup(client.get("/")).select_one("main")
    form = main.select_one("form[role=search]")
    assert form["action"] == "/soeg" and form.select_one("input[name=q]")
    first_section = main.select_one("section.front-section")
    assert form.find_parent("section")["class"] == ["hero"]
    assert str(main).index("front-search") < str(main).index(str(first_section)[:30])


def test_pinned_news_comes_before_latest(client, make_news, app):
    with app.app_context():
        from portal.timeutil import local_today

        today = local_today()
    make_news("Gammel men fastgjort", published=-9, pinned_until=today + timedelta(days=1))
    make_news("Helt ny nyhed", published=-1)
    make_news("Udløbet fastgjort", published=-2, pinned_until=today - timedelta(days=1))
    news = soup(client.get("/")).select_one(".front-news")
    titles = [a.get_text() for a in news.select("h3 a")]
    assert titles == ["Gammel men fastgjort", "Helt ny nyhed", "Udløbet fastgjort"]
    assert news.select_one(".is-pinned .pin-label").get_text() == "Fastgjort"
    assert len(news.select(".is-pinned")) == 1


def test_shortcuts_fall_back_to_most_visited_then_follow_editors_choice(
    app, client, auth, make_user, content
):
    for _ in range(3):
        client.get("/sagsgange/samarbejdsmodellen")
    client.get("/vejviser/groen-linie")
    with app.app_context():
        counts = {(v.kind, v.slug): v.count for v in db.session.scalars(sa.select(PageVisit))}
    assert counts == {("procedure", "samarbejdsmodellen"): 3, ("guide", "groen-linie"): 1}
    section = soup(client.get("/")).select_one(".front-shortcuts")
    assert section.h2.get_text() == "Mest brugte vejvisere og sagsgange"
    links = [a["href"] for a in section.select(".card-grid")[0].select("a")]
    assert links == ["/sagsgange/samarbejdsmodellen", "/vejviser/groen-linie"]
    # An editor chooses a shortcut: it replaces the fallback.
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    with app.app_context():
        page_id = db.session.scalar(sa.select(Page.id).where(Page.slug == "groen-linie"))
    token = csrf_token(client, "/redaktion/genveje")
    client.post("/redaktion/genveje", data={"csrf_token": token, "page": page_id})
    section = soup(client.get("/")).select_one(".front-shortcuts")
    assert section.h2.get_text() == "Genveje"
    assert [a["href"] for a in section.select(".card-grid")[0].select("a")] == [
        "/vejviser/groen-linie"
    ]


def test_contact_person_sees_profile_state_and_news_to_pass_on(app, client, auth, make_news):
    make_news("Giv den videre", pass_on=True)
    with app.app_context():
        profile = contacts.create_contact(
            {"name": "Kim Kontakt", "email": "kim@example.com", "administration": "SOF"}, None
        )
        auth_services.set_password(profile.user, PASSWORD)
        db.session.commit()
    auth.login("kim@example.com")
    box = soup(client.get("/")).select_one(".front-contact")
    assert "Din profil er bekræftet" in box.get_text()
    assert [a.get_text() for a in box.select(".pass-on-list a")] == ["Giv den videre"]
    with app.app_context():
        profile = db.session.scalar(sa.select(ContactProfile))
        profile.confirmed_at = utcnow() - timedelta(days=400)
        db.session.commit()
    box = soup(client.get("/")).select_one(".front-contact")
    assert "Din profil skal bekræftes" in box.get_text()


def test_staff_sees_no_contact_or_editor_box(client, auth, make_user):
    make_user("staff", email="m@example.com")
    auth.login("m@example.com")
    page = soup(client.get("/"))
    assert page.select_one(".front-contact") is None and page.select_one(".front-editor") is None


def test_editor_area_lists_what_needs_attention(
    app, client, auth, make_user, make_news, content, vnu, tmp_path
):
    make_news("En kladde", published=None)
    make_news("En planlagt", published=3)
    make_news("En udgivet")
    with app.app_context():
        page = db.session.scalar(sa.select(Page).where(Page.slug == "groen-linie"))
        page.reviewed = date.today() - timedelta(days=400)
        old_profile = contacts.create_contact(
            {"name": "Gammel Profil", "email": "gp@example.com", "administration": "BIF"}, None
        )
        old_profile.confirmed_at = utcnow() - timedelta(days=400)
        centre, _ = units.ensure("BIF", "Jobcenter København")
        proposal = Team(name="Team Nyt", key="team nyt", centre=centre, approved=False)
        proposal.proposed_by = old_profile.user  # a contact person's, waiting for an editor
        db.session.add(proposal)
        db.session.commit()
    client.get("/soeg?q=xyzzyqwerty")
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    front = soup(client.get("/")).select_one(".front-editor")
    assert "1 kladde" in front.get_text() and front.select_one("a[href='/redaktion']")
    html = client.get("/redaktion").get_data(as_text=True)
    check_html(vnu, {"redaktion med alt": html}, tmp_path)
    page = BeautifulSoup(html, "html.parser")

    def section(id_):
        return page.find(id=id_).find_parent("section")

    assert [a.get_text() for a in section("r-kladder").select("li a")] == ["En kladde"]
    assert [a.get_text() for a in section("r-planlagt").select("li a")] == ["En planlagt"]
    overdue = [a["href"] for a in section("r-gennemsyn").select("li a")]
    assert "/vejviser/groen-linie" in overdue
    assert "Gammel Profil" in section("r-profiler").get_text()
    proposals = section("r-teams")
    assert [a.get_text() for a in proposals.select("li a")] == ["Team Nyt"]
    assert "under Jobcenter København, foreslået af Gammel Profil" in proposals.get_text()
    assert proposals.select_one("a[href='/redaktion/enheder#afventer']")
    assert "«xyzzyqwerty» 1 gang" in " ".join(section("r-soegninger").get_text().split())


def test_review_age_is_configurable(app, content):
    with app.app_context():
        app.config["REVIEW_AFTER_DAYS"] = 100_000
        assert services.overdue_pages() == []
        app.config["REVIEW_AFTER_DAYS"] = 0
        assert len(services.overdue_pages(today=date.today() + timedelta(days=1))) > 0


def test_next_meetings_section_comes_from_the_calendar_signal(app, client):
    section = soup(client.get("/")).select_one(".front-meetings")
    assert section.h2.get_text() == "Næste møder"
    assert section.select_one("a[href='/kalender/']").get_text() == "Hele kalenderen"


def test_front_page_has_no_meetings_section_without_a_calendar_receiver(app, client):
    from portal import signals
    from portal.calendar import hooks

    signals.front_page.disconnect(hooks.front_page, app)
    try:
        assert soup(client.get("/")).select_one(".front-meetings") is None
    finally:
        signals.front_page.connect(hooks.front_page, app)
