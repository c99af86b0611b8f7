"""Issue 14 #1 with the lists of #4: "Mine oplysninger er stadig korrekte" confirms only a form
that holds what is stored. Centre and team are chosen from the editors' lists (by id), a team
may be proposed (``team_nyt``) and the areas are written one way: a change to any of them is a
change (nothing confirmed, the input kept), and a form nobody touched is never seen as changed,
even when today's rules would write a stored value differently."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.audit import AuditEntry
from portal.contacts import units
from portal.contacts.confirmation import UNSAVED_FIELD
from portal.contacts.models import ContactArea, ContactProfile, Team
from portal.db import utcnow
from portal.extensions import db
from portal.kb.models import GlossaryTerm
from tests.contacts.test_selfservice import form_values, login_as

CONFIRM = "/min-profil/bekraeft"
CONFIRM_ONLY = "Mine oplysninger er stadig korrekte"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def field_errors_of(page: BeautifulSoup) -> dict[str, str]:
    return {
        p["id"].removesuffix("-fejl"): p.get_text(" ", strip=True)
        for p in page.select(".field-error")
    }


def field_errors(response) -> dict[str, str]:
    return field_errors_of(soup(response))


def buttons(response) -> list[str]:
    return [b.get_text(strip=True) for b in soup(response).select("main form button")]


def entry_id(app, administration: str, centre: str, team: str = "") -> str:
    """The id of a centre (or of a team in it) on the lists, added if missing."""
    with app.app_context():
        c, t = units.ensure(administration, centre, team)
        db.session.commit()
        return str((t or c).id)


@pytest.fixture
def stale(app, make_contact):
    """A contact person (SOF, Rådgivningscenter København, Team A, misbrug) who confirmed long
    ago."""
    pid = make_contact(name="Kim Kontakt")
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = utcnow() - timedelta(days=200)
        db.session.commit()
    return pid


def confirmations(app, pid) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.object_type == "contact",
                AuditEntry.object_id == str(pid),
                AuditEntry.action == "confirm",
            )
        )


def teams(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(Team.name)))


def assert_confirmed(app, response, get_profile, pid) -> None:
    assert response.status_code == 302, field_errors(response)
    after = get_profile(pid)
    assert after["confirmed_at"] > utcnow() - timedelta(minutes=1)
    assert after["version"] == 1 and confirmations(app, pid) == 1


def assert_refused(app, response, get_profile, pid, before) -> BeautifulSoup:
    assert response.status_code == 400
    assert get_profile(pid) == before and confirmations(app, pid) == 0
    assert buttons(response) == ["Gem og bekræft"]
    return soup(response)


def test_an_untouched_form_is_offered_confirm_only_and_confirms(
    app, client, auth, stale, get_profile
):
    login_as(auth, get_profile, stale)
    assert CONFIRM_ONLY in buttons(client.get("/min-profil"))
    assert_confirmed(app, client.post(CONFIRM, data=form_values(client)), get_profile, stale)


@pytest.mark.parametrize("team", ["", "Team A"])
def test_an_untouched_form_without_a_centre_or_with_a_proposed_team_confirms(
    app, client, auth, make_contact, get_profile, team
):
    """No centre and no team chosen; or a team that awaits approval (shown as such)."""
    pid = make_contact(centre="", team="")
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        if team:
            centre, chosen = units.ensure("SOF", "Rådgivningscenter København", team)
            chosen.approved = False
            profile.centre, profile.team = centre, chosen
        db.session.commit()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    assert bool(data["centre"]) == bool(team) and bool(data["team"]) == bool(team)
    response = client.post(CONFIRM, data=data)
    assert response.status_code == 302, field_errors(response)
    assert confirmations(app, pid) == 1


def test_another_team_from_the_list_is_a_change(app, client, auth, stale, get_profile):
    team_b = entry_id(app, "SOF", "Rådgivningscenter København", "Team B")
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["team"] = team_b
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert field_errors_of(page) == {"team": UNSAVED_FIELD}
    assert page.select_one("#team option[selected]").get_text() == "Team B"


def test_no_team_any_more_is_a_change(app, client, auth, stale, get_profile):
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["team"] = ""
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert field_errors_of(page) == {"team": UNSAVED_FIELD}


def test_another_centre_is_a_change(app, client, auth, stale, get_profile):
    other = entry_id(app, "SOF", "Center for Udsatte Voksne")
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data.update(centre=other, team="")
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert field_errors_of(page) == {"centre": UNSAVED_FIELD, "team": UNSAVED_FIELD}
    assert page.select_one("#centre option[selected]").get_text() == "Center for Udsatte Voksne"


def test_another_centre_with_the_old_team_says_what_saving_would_say(
    app, client, auth, stale, get_profile
):
    other = entry_id(app, "SOF", "Center for Udsatte Voksne")
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["centre"] = other
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    shown = field_errors_of(page)
    assert shown["centre"] == UNSAVED_FIELD
    assert "«Team A» hører til «Rådgivningscenter København»" in shown["team"]


def test_a_proposed_team_is_a_change_and_nothing_is_proposed(app, client, auth, stale, get_profile):
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["team_nyt"] = "Team Nyt"
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert field_errors_of(page) == {"team": UNSAVED_FIELD}
    assert page.select_one("#team_nyt")["value"] == "Team Nyt"
    assert page.select_one("#team option[selected]").get_text() == "Team A"
    assert teams(app) == ["Team A"]
    # "Gem og bekræft" on the page that came back proposes it, and confirms.
    data["csrf_token"] = page.select_one("input[name=csrf_token]")["value"]
    assert client.post("/min-profil", data=data).status_code == 302
    assert get_profile(stale)["team"] == "Team Nyt" and confirmations(app, stale) == 1


def test_a_proposal_that_cannot_be_made_says_why(app, client, auth, stale, get_profile):
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["team_nyt"] = "x" * 121
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert "højst være 120 tegn" in field_errors_of(page)["team"]
    assert teams(app) == ["Team A"]


def test_proposing_the_team_one_has_changes_nothing(app, client, auth, stale, get_profile):
    """The proposal names the chosen centre's team the person is in: saving would change
    nothing, so there is nothing to lose by confirming."""
    login_as(auth, get_profile, stale)
    data = form_values(client)
    data["team_nyt"] = "  team a "
    assert_confirmed(app, client.post(CONFIRM, data=data), get_profile, stale)
    assert teams(app) == ["Team A"]


def test_another_area_is_a_change(app, client, auth, stale, get_profile):
    login_as(auth, get_profile, stale)
    before = get_profile(stale)
    data = form_values(client)
    data["areas"] = "misbrug, hjemløshed"
    page = assert_refused(app, client.post(CONFIRM, data=data), get_profile, stale, before)
    assert field_errors_of(page) == {"areas": UNSAVED_FIELD}
    assert page.select_one("#areas")["value"] == "misbrug, hjemløshed"


@pytest.mark.parametrize("typed", ["Misbrug", "  misbrug ,misbrug", "misbrug,  Grøn Linie"])
def test_areas_written_another_way_are_the_same_areas(
    app, client, auth, make_contact, get_profile, typed
):
    """Case, spacing, repetition and order: saving would store the same areas."""
    pid = make_contact(areas=["misbrug", "grøn linie"] if "Linie" in typed else ["misbrug"])
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data["areas"] = typed
    response = client.post(CONFIRM, data=data)
    assert response.status_code == 302, field_errors(response)


def test_a_glossary_term_added_later_does_not_make_an_untouched_form_changed(
    app, client, auth, make_contact, get_profile
):
    """The areas were written one way when saved; a synonym added to the glossary since would
    write one differently now, but the person did not touch it."""
    pid = make_contact(areas=["stofmisbrug"])
    with app.app_context():
        db.session.add(
            GlossaryTerm(
                slug="misbrug",
                term="Misbrug",
                synonyms=["stofmisbrug"],
                definition="Brug af rusmidler.",
                definition_html="<p>Brug af rusmidler.</p>",
            )
        )
        db.session.commit()
    login_as(auth, get_profile, pid)
    assert CONFIRM_ONLY in buttons(client.get("/min-profil"))
    response = client.post(CONFIRM, data=form_values(client))
    assert response.status_code == 302, field_errors(response)
    assert get_profile(pid)["areas"] == ["stofmisbrug"]


def test_stored_text_from_before_todays_rules_is_not_a_change(
    app, client, auth, make_contact, get_profile
):
    """Data from before the rules (an import, demo data): spacing that a save would collapse,
    an area spelled as nobody else spells it, and a text whose lines a browser sends back
    with CRLF."""
    pid = make_contact(areas=["misbrug"])
    other = make_contact(areas=[])
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        profile.job_title, profile.about = "Social-  og sundhedsassistent", "Linje 1\nLinje 2"
        profile.areas.append(ContactArea(name="grøn linie", slug="groen-linie"))
        # Saving would now write it as this earlier spelling (the first, in the lists' order).
        db.session.get(ContactProfile, other).areas = [
            ContactArea(name="Grøn Linie", slug="groen-linie")
        ]
        db.session.commit()
    login_as(auth, get_profile, pid)
    assert CONFIRM_ONLY in buttons(client.get("/min-profil"))
    data = form_values(client)
    data["about"] = data["about"].replace("\n", "\r\n")  # as browsers send a textarea
    response = client.post(CONFIRM, data=data)
    assert response.status_code == 302, field_errors(response)


def test_what_confirm_only_sees_as_unchanged_a_save_does_not_change(
    app, client, auth, make_contact, get_profile
):
    """Areas in another order, a text's lines sent back as CRLF: "Gem og bekræft" confirms
    and records no change (no new version, no update in the history)."""
    pid = make_contact(areas=["grøn linie", "misbrug"], about="Linje 1\nLinje 2")
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(areas="misbrug, grøn linie", about="Linje 1\r\nLinje 2")
    assert client.post("/min-profil", data=data).status_code == 302
    after = get_profile(pid)
    assert after["version"] == 1 and after["areas"] == ["grøn linie", "misbrug"]
    assert confirmations(app, pid) == 1
    with app.app_context():
        about = sa.select(ContactProfile.about).where(ContactProfile.id == pid)
        assert db.session.scalar(about) == "Linje 1\nLinje 2"
        updates = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "update")
        assert db.session.scalar(updates) == 0
