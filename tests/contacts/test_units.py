"""Issue 14 #4: centres and teams are lists the editors keep (add, rename, merge, approve a
proposed team); a contact picks from them or proposes a team; "Kan hjælpe med" areas are
written one way and can be merged; the directory's filters narrow each other."""

import csv
import io

import pytest
import sqlalchemy as sa
import vobject
from bs4 import BeautifulSoup

from portal import search
from portal.audit import AuditEntry
from portal.contacts import units
from portal.contacts.lists import NewTeam
from portal.contacts.models import Centre, ContactProfile, Team
from portal.errors import Conflict
from portal.extensions import db
from portal.kb.models import GlossaryTerm
from tests.conftest import csrf_token
from tests.contacts.test_selfservice import form_values, login_as

PAGE = "/redaktion/enheder"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def errors(response) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in soup(response).select(".field-error"))


def ids(app, administration: str, centre: str, team: str = "") -> tuple[int, int | None]:
    with app.app_context():
        c, t = units.ensure(administration, centre, team)
        db.session.commit()
        return c.id, (t.id if t else None)


def unit_of(app, pid: int) -> tuple[str, str, bool | None]:
    with app.app_context():
        p = db.session.get(ContactProfile, pid)
        return p.centre_name, str(p.team or ""), (p.team.approved if p.team else None)


def as_editor(client, auth, make_user) -> str:
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    return csrf_token(client, PAGE)


def names(response) -> list[str]:
    return [a.get_text() for a in soup(response).select(".contact-name a")]


# A contact person picks from the lists


def test_the_profile_form_offers_the_lists_grouped(app, client, auth, make_contact, get_profile):
    ids(app, "BIF", "Jobcenter København", "Hotline")
    pid = make_contact()  # SOF, Rådgivningscenter København, Team A
    login_as(auth, get_profile, pid)
    page = soup(client.get("/min-profil"))
    groups = {
        g["label"]: [o.get_text() for o in g.select("option")]
        for g in page.select("#centre optgroup")
    }
    assert groups == {"BIF": ["Jobcenter København"], "SOF": ["Rådgivningscenter København"]}
    assert page.select_one("#centre option[selected]").get_text() == "Rådgivningscenter København"
    team_groups = [g["label"] for g in page.select("#team optgroup")]
    assert team_groups == ["Jobcenter København (BIF)", "Rådgivningscenter København (SOF)"]
    assert page.select_one("#team option[selected]").get_text() == "Team A"


def test_a_contact_changes_team_and_it_is_audited_by_name(
    app, client, auth, make_contact, get_profile
):
    pid = make_contact()
    _, team_b = ids(app, "SOF", "Rådgivningscenter København", "Team B")
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(team=str(team_b))
    assert client.post("/min-profil", data=data).status_code == 302
    assert unit_of(app, pid) == ("Rådgivningscenter København", "Team B", True)
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.field == "team"))
        assert (entry.old_value, entry.new_value) == ("Team A", "Team B")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"centre": "999999"}, "centre", "Vælg et center fra listen"),
        ({"team": "999999"}, "team", "Vælg et team fra listen"),
        ({"team": "other"}, "team", "hører til «Jobcenter København»"),
        ({"centre": "bif", "team": ""}, "centre", "hører til BIF, men personen er i SOF"),
        ({"centre": "", "team_nyt": "Nyt team"}, "team", "Vælg det center"),
    ],
)
def test_a_choice_outside_the_lists_is_refused_and_the_input_stays(
    app, client, auth, make_contact, get_profile, change, field, message
):
    bif, other = ids(app, "BIF", "Jobcenter København", "Hotline")
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    values = {"bif": str(bif), "other": str(other)}
    data.update({k: values.get(v, v) for k, v in change.items()}, job_title="Min titel")
    response = client.post("/min-profil", data=data)
    assert response.status_code == 400
    assert message in soup(response).select_one(f"#{field}-fejl").get_text()
    assert soup(response).select_one("#job_title")["value"] == "Min titel"
    assert get_profile(pid)["version"] == 1


def test_a_proposed_team_waits_for_approval_and_is_found_once(
    app, client, auth, make_contact, get_profile
):
    first, second = make_contact(name="Første Forslag"), make_contact(name="Anden Forslag")
    for pid, typed in ((first, "Team Nyt"), (second, "  team  nyt ")):
        login_as(auth, get_profile, pid)
        data = form_values(client)
        data.update(team_nyt=typed)
        assert client.post("/min-profil", data=data).status_code == 302
        auth.logout()
    assert unit_of(app, first) == ("Rådgivningscenter København", "Team Nyt", False)
    assert unit_of(app, second) == ("Rådgivningscenter København", "Team Nyt", False)
    with app.app_context():
        team = db.session.scalar(sa.select(Team).where(Team.name == "Team Nyt"))
        assert team.proposed_by.name == "Første Forslag"
        assert db.session.scalar(sa.select(sa.func.count(Team.id))) == 2  # Team A, Team Nyt
    directory = client.get("/kontaktpersoner/")
    assert "Team Nyt" not in directory.get_data(as_text=True)  # neither a filter nor a card
    assert "Team Nyt" not in client.get(f"/kontaktpersoner/{first}.vcf").get_data(as_text=True)
    login_as(auth, get_profile, first)
    assert "Team Nyt (afventer godkendelse)" in client.get("/min-profil").get_data(as_text=True)
    proposed = client.get("/min-profil/data.json").get_json()["foreslåede_teams"]
    assert [(t["team"], t["center"], t["godkendt"]) for t in proposed] == [
        ("Team Nyt", "Rådgivningscenter København", False)
    ]  # the person's own data holds their proposal; the second person proposed nothing new
    auth.logout()
    login_as(auth, get_profile, second)
    assert client.get("/min-profil/data.json").get_json()["foreslåede_teams"] == []


def test_a_proposal_that_nobody_has_chosen_any_longer_is_withdrawn(
    app, client, auth, make_contact, get_profile
):
    """A person who proposes a team and then another (a typo mended), an approved team or no
    team leaves no proposal that nobody has for the editors; one that someone else chose
    stays until nobody has it."""
    first, second = make_contact(name="Første Forslag"), make_contact(name="Anden Forslag")

    def save(pid: int, **changes) -> None:
        login_as(auth, get_profile, pid)
        data = form_values(client) | changes
        assert client.post("/min-profil", data=data).status_code == 302
        auth.logout()

    def pending() -> list[str]:
        with app.app_context():
            return list(db.session.scalars(sa.select(Team.name).where(~Team.approved)))

    save(first, team_nyt="Team Nyy")
    save(first, team_nyt="Team Ny")  # the typo mended
    assert pending() == ["Team Ny"]
    save(second, team_nyt="team ny")  # the same proposal
    with app.app_context():
        team_a = db.session.scalar(sa.select(Team.id).where(Team.name == "Team A"))
    save(first, team=str(team_a))
    assert unit_of(app, first) == ("Rådgivningscenter København", "Team A", True)
    assert pending() == ["Team Ny"]  # the second person has it
    save(second, team="")
    assert unit_of(app, second) == ("Rådgivningscenter København", "", None)
    assert pending() == []
    with app.app_context():
        withdrawn = db.session.scalars(
            sa.select(AuditEntry.old_value).where(AuditEntry.action == "withdraw")
        ).all()
    assert sorted(withdrawn) == ["Team Ny", "Team Nyy"]
    login_as(auth, get_profile, first)
    assert client.get("/min-profil/data.json").get_json()["foreslåede_teams"] == []


# The areas


def test_areas_are_written_one_way(app, client, auth, make_contact, get_profile):
    with app.app_context():
        db.session.add(
            GlossaryTerm(
                slug="groen-linie",
                term="Grøn linie",
                synonyms=["grøn linje", "den grønne linje"],
                definition="En håndholdt vej.",
                definition_html="<p>En håndholdt vej.</p>",
            )
        )
        db.session.commit()
    make_contact(name="Først", areas=["misbrug"])
    pid = make_contact(name="Senere", areas=[])
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(areas="Misbrug,  misbrug , MISBRUG, Den grønne  linje, Hjemløshed")
    assert client.post("/min-profil", data=data).status_code == 302
    assert get_profile(pid)["areas"] == ["grøn linie", "hjemløshed", "misbrug"]
    options = soup(client.get("/kontaktpersoner/")).select("#f-area option")
    assert [o.get_text() for o in options] == ["Alt", "grøn linie", "hjemløshed", "misbrug"]


def test_editors_merge_two_areas(app, client, auth, make_user, make_contact, get_profile):
    a = make_contact(name="Aa", areas=["misbrug", "alkohol"])
    b = make_contact(name="Bb", areas=["alkoholmisbrug"])
    token = as_editor(client, auth, make_user)
    areas = {o.get_text(): o["value"] for o in soup(client.get(PAGE)).select("#gone option")}
    response = client.post(
        f"{PAGE}/omraader/saml",
        data={
            "csrf_token": token,
            "gone": areas["alkoholmisbrug (1)"],
            "into": "misbrug",
            "sure": "y",
        },
    )
    assert response.status_code == 302
    assert get_profile(a)["areas"] == ["alkohol", "misbrug"]
    assert get_profile(b)["areas"] == ["misbrug"] and get_profile(b)["version"] == 2
    with app.app_context():
        merged = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "merge"))
        assert (merged.old_value, merged.new_value) == ("alkoholmisbrug", "misbrug")
        history = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.object_id == str(b), AuditEntry.field == "areas")
        )
        assert history.actor == "red@example.com"


# The editors' page


def test_editors_add_and_rename_and_every_output_follows(
    app, client, auth, make_user, make_contact
):
    pid = make_contact(name="Rita Omdøb")
    token = as_editor(client, auth, make_user)
    added = client.post(
        f"{PAGE}/centre",
        data={"csrf_token": token, "centre-name": " Nyt  Center ", "centre-administration": "BIF"},
    )
    assert added.status_code == 302
    twice = client.post(
        f"{PAGE}/centre",
        data={"csrf_token": token, "centre-name": "nyt center", "centre-administration": "BIF"},
    )
    assert twice.status_code == 400 and "«Nyt Center» findes allerede" in errors(twice)
    assert soup(twice).select_one("#centre-name")["value"] == "nyt center"
    with app.app_context():
        centre = db.session.scalar(sa.select(Centre).where(Centre.name.like("Rådgiv%")))
        centre_id, version = centre.id, centre.version
    form = soup(client.get(f"{PAGE}/centre/{centre_id}"))
    assert form.select_one("#name")["value"] == "Rådgivningscenter København"
    renamed = client.post(
        f"{PAGE}/centre/{centre_id}",
        data={"csrf_token": token, "version": str(version), "name": "Rådgivningscentret"},
    )
    assert renamed.status_code == 302
    assert (
        "Rådgivningscentret"
        in soup(client.get("/kontaktpersoner/")).select_one(".contact-card").get_text()
    )
    card = vobject.readOne(client.get(f"/kontaktpersoner/{pid}.vcf").get_data(as_text=True))
    assert card.org.value == ["Socialforvaltningen", "Rådgivningscentret", "Team A"]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/kontaktpersoner.csv").get_data(as_text=True)), delimiter=";"
        )
    )
    assert rows[1][3:5] == ["Rådgivningscentret", "Team A"]
    assert client.get("/api/contacts").get_json()["contacts"][0]["centre"] == "Rådgivningscentret"
    with app.test_request_context():
        found = search.search("Rådgivningscentret", kind="kontaktpersoner")
        assert [r.title for r in found.results] == ["Rita Omdøb"]  # reindexed on rename
    stale = client.post(
        f"{PAGE}/centre/{centre_id}",
        data={"csrf_token": token, "version": str(version), "name": "Gammelt navn"},
    )
    assert stale.status_code == 409
    assert soup(stale).select_one("#name")["value"] == "Gammelt navn"


def test_merging_teams_moves_every_profile_audited(
    app, client, auth, make_user, make_contact, get_profile
):
    a = make_contact(name="Anna A", team="Voksenteam Nord")
    b = make_contact(name="Bent B", team="voksenteam nord")  # the same entry
    c = make_contact(name="Carl C", team="Voksentem Nord")  # a typo: another team
    _, kept = ids(app, "SOF", "Rådgivningscenter København", "Voksenteam Nord")
    _, gone = ids(app, "SOF", "Rådgivningscenter København", "Voksentem Nord")
    token = as_editor(client, auth, make_user)
    unsure = client.post(f"{PAGE}/teams/{gone}/saml", data={"csrf_token": token, "into": kept})
    assert unsure.status_code == 400 and "Sæt kryds" in errors(unsure)
    merged = client.post(
        f"{PAGE}/teams/{gone}/saml", data={"csrf_token": token, "into": kept, "sure": "y"}
    )
    assert merged.status_code == 302
    assert {get_profile(p)["team"] for p in (a, b, c)} == {"Voksenteam Nord"}
    assert [get_profile(p)["version"] for p in (a, b, c)] == [1, 1, 2]
    with app.app_context():
        assert db.session.get(Team, gone) is None
        moved = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.object_id == str(c), AuditEntry.field == "team")
        )
        assert (moved.old_value, moved.new_value, moved.actor) == (
            "Voksentem Nord",
            "Voksenteam Nord",
            "red@example.com",
        )


def test_merging_centres_moves_teams_and_people(
    app, client, auth, make_user, make_contact, get_profile
):
    a = make_contact(name="Anna A", centre="Socialcentret", team="Team A")
    b = make_contact(name="Bent B", centre="Socialcentret", team="Team Særlig")
    c = make_contact(name="Carl C", centre="Socialcentrets voksenenheder", team="Team A")
    d = make_contact(name="Dorte D", centre="Socialcentret", team="")
    gone, _ = ids(app, "SOF", "Socialcentret")
    kept, _ = ids(app, "SOF", "Socialcentrets voksenenheder")
    bif, _ = ids(app, "BIF", "Jobcenter København")
    token = as_editor(client, auth, make_user)
    other = client.post(
        f"{PAGE}/centre/{gone}/saml", data={"csrf_token": token, "into": bif, "sure": "y"}
    )
    assert other.status_code == 400 and "hver sin forvaltning" in errors(other)
    assert (
        client.post(
            f"{PAGE}/centre/{gone}/saml", data={"csrf_token": token, "into": kept, "sure": "y"}
        ).status_code
        == 302
    )
    assert [unit_of(app, p)[:2] for p in (a, b, c, d)] == [
        ("Socialcentrets voksenenheder", "Team A"),
        ("Socialcentrets voksenenheder", "Team Særlig"),
        ("Socialcentrets voksenenheder", "Team A"),
        ("Socialcentrets voksenenheder", ""),
    ]
    with app.app_context():
        assert db.session.get(Centre, gone) is None
        names = db.session.scalars(sa.select(Team.name).where(Team.centre_id == kept)).all()
        assert sorted(names) == ["Team A", "Team Særlig"]  # the two "Team A" are one


def test_editors_approve_reject_or_merge_a_proposal(
    app, client, auth, make_user, make_contact, get_profile
):
    people = [make_contact(name=f"P{n}") for n in range(3)]
    for n, pid in enumerate(people):
        login_as(auth, get_profile, pid)
        data = form_values(client)
        data.update(team_nyt=f"Forslag {n}")
        assert client.post("/min-profil", data=data).status_code == 302
        auth.logout()
    with app.app_context():
        proposed = {t.name: (t.id, t.version) for t in db.session.scalars(sa.select(Team))}
    token = as_editor(client, auth, make_user)
    pending = soup(client.get(PAGE)).select_one("#afventer")
    assert [li.select_one("a").get_text() for li in pending.select("li")] == [
        "Forslag 0",
        "Forslag 1",
        "Forslag 2",
    ]
    team, version = proposed["Forslag 0"]
    approve = {"csrf_token": token, "version": str(version)}
    assert client.post(f"{PAGE}/teams/{team}/godkend", data=approve).status_code == 302
    assert unit_of(app, people[0])[1:] == ("Forslag 0", True)
    assert "Forslag 0" in client.get("/kontaktpersoner/").get_data(as_text=True)
    team, _ = proposed["Forslag 1"]
    assert "1 profil har valgt det." in client.get(f"{PAGE}/teams/{team}").get_data(as_text=True)
    rejected = client.post(f"{PAGE}/teams/{team}/afvis", data={"csrf_token": token})
    assert rejected.status_code == 302
    done = soup(client.get(rejected.headers["Location"])).select_one(".flashes").get_text()
    assert "Forslaget «Forslag 1» er afvist. 1 profil har nu intet team." in done
    assert unit_of(app, people[1]) == ("Rådgivningscenter København", "", None)
    team, _ = proposed["Forslag 2"]
    merged = client.post(
        f"{PAGE}/teams/{team}/saml",
        data={"csrf_token": token, "into": proposed["Team A"][0], "sure": "y"},
    )
    assert merged.status_code == 302
    assert unit_of(app, people[2])[1:] == ("Team A", True)
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(
                AuditEntry.object_type == "contact_team", AuditEntry.actor != "system"
            )
        ).all()
        assert sorted(actions) == ["approve", "merge", "propose", "propose", "propose", "reject"]


# The directory's filters narrow each other


def test_filters_narrow_each_other_without_javascript(app, client, make_contact):
    make_contact(name="Bo", administration="BIF", centre="Jobcenter København", team="Hotline")
    make_contact(name="Sif", administration="SOF", centre="Socialcentret", team="Voksenteam Nord")
    make_contact(name="Sara", administration="SOF", centre="Rådgivningscenter", team="Team A")
    centre_bif, hotline = ids(app, "BIF", "Jobcenter København", "Hotline")
    centre_sof, nord = ids(app, "SOF", "Socialcentret", "Voksenteam Nord")

    def offered(query: str) -> tuple[list[str], list[str]]:
        page = soup(client.get("/kontaktpersoner/" + query))
        return (
            [o.get_text() for o in page.select("#f-center option")][1:],
            [o.get_text() for o in page.select("#f-team option")][1:],
        )

    assert offered("?forvaltning=BIF") == (["Jobcenter København"], ["Hotline"])
    assert offered("?forvaltning=SOF") == (
        ["Rådgivningscenter", "Socialcentret"],
        ["Team A", "Voksenteam Nord"],
    )
    assert offered(f"?center={centre_sof}") == (
        ["Jobcenter København", "Rådgivningscenter", "Socialcentret"],
        ["Voksenteam Nord"],
    )
    # BIF chosen after a SOF centre and team: those are dropped, not an empty list.
    switched = client.get(f"/kontaktpersoner/?forvaltning=BIF&center={centre_sof}&team={nord}")
    assert names(switched) == ["Bo"]
    assert soup(switched).select_one("#f-center option[selected]") is None
    assert names(client.get(f"/kontaktpersoner/?team={hotline}&center={centre_bif}")) == ["Bo"]


# Merges and profile saves at the same time


def test_a_profile_saved_during_a_merge_fails_the_merge_and_changes_nothing(app, make_contact):
    a = make_contact(name="Anna A", team="Team Gammel")
    b = make_contact(name="Bent B", team="Team Gammel")
    _, gone = ids(app, "SOF", "Rådgivningscenter København", "Team Gammel")
    _, kept = ids(app, "SOF", "Rådgivningscenter København", "Team A")
    with app.app_context():
        editor = db.session.get(ContactProfile, a).user  # any actor
        loaded = db.session.get(ContactProfile, b)  # loaded by the merge at version 1 ...
        assert loaded.version == 1
        # ... then saved by its owner in another transaction, before the merge writes it
        db.session.execute(
            sa.update(ContactProfile)
            .where(ContactProfile.id == b)
            .values(version=ContactProfile.version + 1, job_title="Gemt imens")
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(Conflict, match="Intet er ændret"):
            units.merge_teams(db.session.get(Team, gone), db.session.get(Team, kept), editor)
        db.session.rollback()
    assert unit_of(app, a)[1] == unit_of(app, b)[1] == "Team Gammel"


def test_a_form_opened_before_a_merge_is_a_conflict_with_the_input_kept(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact(team="Team Gammel")
    _, gone = ids(app, "SOF", "Rådgivningscenter København", "Team Gammel")
    _, kept = ids(app, "SOF", "Rådgivningscenter København", "Team A")
    login_as(auth, get_profile, pid)
    mine = form_values(client)  # version 1, "Team Gammel" chosen
    auth.logout()
    token = as_editor(client, auth, make_user)
    client.post(f"{PAGE}/teams/{gone}/saml", data={"csrf_token": token, "into": kept, "sure": "y"})
    auth.logout()
    login_as(auth, get_profile, pid)
    mine.update(job_title="Min titel", csrf_token=csrf_token(client, "/min-profil"))
    response = client.post("/min-profil", data=mine)
    assert response.status_code == 409
    assert soup(response).select_one("#job_title")["value"] == "Min titel"
    assert get_profile(pid)["team"] == "Team A" and get_profile(pid)["job_title"] == ""


# Valid HTML (Nu HTML Checker)


def test_the_lists_pages_are_valid_html(
    app, client, auth, make_user, make_contact, get_profile, vnu, tmp_path
):
    from tests.test_html_valid import check_html

    pid = make_contact(areas=["misbrug", "grøn linie"])
    bif, hotline = ids(app, "BIF", "Jobcenter København", "Hotline")
    login_as(auth, get_profile, pid)
    data = form_values(client)
    pages = {"min profil": client.get("/min-profil").get_data(as_text=True)}
    data.update(centre=str(bif), team_nyt="Nyt team")
    pages["min profil med fejl"] = client.post("/min-profil", data=data).get_data(as_text=True)
    data.update(centre=form_values(client)["centre"])
    assert client.post("/min-profil", data=data).status_code == 302  # a proposal
    auth.logout()
    token = as_editor(client, auth, make_user)
    with app.app_context():
        proposal = db.session.scalar(sa.select(Team.id).where(Team.approved.is_(False)))
    for url in [
        PAGE,
        f"{PAGE}/centre/{bif}",
        f"{PAGE}/teams/{proposal}",
        f"{PAGE}/teams/{hotline}",
    ]:
        pages[url] = client.get(url).get_data(as_text=True)
    pages["tilføj med fejl"] = client.post(
        f"{PAGE}/centre", data={"csrf_token": token, "centre-administration": "BIF"}
    ).get_data(as_text=True)
    pages["saml med fejl"] = client.post(
        f"{PAGE}/teams/{proposal}/saml", data={"csrf_token": token}
    ).get_data(as_text=True)
    pages["områder med fejl"] = client.post(
        f"{PAGE}/omraader/saml", data={"csrf_token": token, "gone": "misbrug"}
    ).get_data(as_text=True)
    pages["filtre"] = client.get(f"/kontaktpersoner/?forvaltning=BIF&center={bif}").get_data(
        as_text=True
    )
    check_html(vnu, pages, tmp_path)


def test_editors_find_the_lists_and_the_proposals_from_the_directory(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(team_nyt="Mit nye team")
    client.post("/min-profil", data=data)
    assert "Centre, teams og områder" not in client.get("/kontaktpersoner/").get_data(as_text=True)
    auth.logout()
    as_editor(client, auth, make_user)
    link = soup(client.get("/kontaktpersoner/")).find("a", string="Centre, teams og områder")
    assert link["href"] == PAGE
    assert "(1 foreslået team afventer godkendelse)" in link.parent.get_text()


def wait_for_its_lock(thread, outcome: dict) -> None:
    """Until the other transaction (in ``thread``) waits for a lock this one holds."""
    import time

    deadline = time.monotonic() + 30
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND datname = current_database()"
    )
    with db.engine.connect() as watcher:
        while not watcher.execute(waiting).scalar():
            assert time.monotonic() < deadline and thread.is_alive(), outcome
            time.sleep(0.01)


def test_on_postgresql_a_merge_waits_for_a_profile_save_and_then_changes_nothing(
    app, database_url, make_contact
):
    """Two real transactions: a person's save holds their row when an editor merges their
    team; the merge waits, then finds the row changed, and gives up as a whole."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time in (BEGIN IMMEDIATE): no race to lose")
    import threading

    saver, other = make_contact(team="Team Gammel"), make_contact(team="Team Gammel")
    _, gone = ids(app, "SOF", "Rådgivningscenter København", "Team Gammel")
    _, kept = ids(app, "SOF", "Rådgivningscenter København", "Team A")
    outcome: dict[str, str] = {}

    def merge():
        with app.app_context():
            try:
                actor = db.session.get(ContactProfile, other).user
                units.merge_teams(db.session.get(Team, gone), db.session.get(Team, kept), actor)
                db.session.commit()
                outcome["merge"] = "merged"
            except Conflict as error:
                db.session.rollback()
                outcome["merge"] = error.message

    with app.app_context():
        from portal.contacts import profiles

        person = db.session.get(ContactProfile, saver)
        profiles.update_profile(
            person, {"job_title": "Gemt først"}, 1, person.user, ("job_title",)
        )  # flushed: the row is held until this transaction ends
        thread = threading.Thread(target=merge)
        thread.start()
        wait_for_its_lock(thread, outcome)
        db.session.commit()
    thread.join(timeout=30)
    assert "Intet er ændret" in outcome["merge"]
    assert unit_of(app, saver)[1] == unit_of(app, other)[1] == "Team Gammel"
    with app.app_context():
        assert db.session.get(ContactProfile, saver).job_title == "Gemt først"


def test_on_postgresql_a_proposal_someone_chooses_meanwhile_is_not_withdrawn(
    app, database_url, make_contact
):
    """Two real transactions: another person's save chooses a proposal while its proposer
    leaves it; the proposer's save waits for that one, then finds the proposal chosen and
    leaves it in place (it neither withdraws it nor fails)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer at a time in (BEGIN IMMEDIATE): no race to lose")
    import threading

    from portal.contacts import profiles

    proposer, chooser = make_contact(team="Team A"), make_contact(team="Team A")
    centre, team_a = ids(app, "SOF", "Rådgivningscenter København", "Team A")
    with app.app_context():
        person = db.session.get(ContactProfile, proposer)
        chosen = {"centre": str(centre), "team": NewTeam("Team Forslag")}
        profiles.save(person, chosen, 1, person.user, ("centre", "team"))
        db.session.commit()
        proposal = db.session.scalar(sa.select(Team.id).where(Team.name == "Team Forslag"))
    outcome: dict[str, str] = {}

    def leave():
        with app.app_context():
            person = db.session.get(ContactProfile, proposer)
            profiles.save(person, {"team": str(team_a)}, 2, person.user, ("team",))
            db.session.commit()
            outcome["left"] = "saved"

    with app.app_context():
        person = db.session.get(ContactProfile, chooser)
        profiles.save(person, {"team": str(proposal)}, 1, person.user, ("team",))
        thread = threading.Thread(target=leave)
        thread.start()
        wait_for_its_lock(thread, outcome)
        db.session.commit()
    thread.join(timeout=30)
    assert outcome == {"left": "saved"}
    assert unit_of(app, proposer) == ("Rådgivningscenter København", "Team A", True)
    assert unit_of(app, chooser) == ("Rådgivningscenter København", "Team Forslag", False)


@pytest.mark.parametrize("how", ["rediger", "ny"])
def test_an_editors_new_team_is_on_the_list_at_once_and_audited(
    app, client, auth, make_user, make_contact, get_profile, how
):
    """On the edit form and on the form that creates a contact person alike."""
    pid = make_contact()
    centre, _ = ids(app, "SOF", "Rådgivningscenter København")
    as_editor(client, auth, make_user)
    path = f"/kontaktpersoner/{pid}/rediger" if how == "rediger" else "/kontaktpersoner/ny"
    data = form_values(client, path)
    data.update(centre=str(centre), team="", team_nyt="Team Redaktionen")
    if how == "ny":
        data.update(name="Nina Ny", email="nina@example.com", administration="SOF")
    response = client.post(path, data=data)
    assert response.status_code == 302, errors(response)
    with app.app_context():
        team = db.session.scalar(sa.select(Team).where(Team.name == "Team Redaktionen"))
        assert team.approved and team.proposed_by.email == "red@example.com"
        person = db.session.scalar(sa.select(ContactProfile).where(ContactProfile.team == team))
        assert person.centre_name == "Rådgivningscenter København"
        entries = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.object_type == "contact_team", AuditEntry.object_id == str(team.id)
            )
        ).all()
        assert [(e.action, e.actor, e.new_value) for e in entries] == [
            ("create", "red@example.com", "Team Redaktionen")
        ]
