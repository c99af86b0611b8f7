"""The directory: filters, Danish order, vCard, CSV and JSON."""

import csv
import io

import sqlalchemy as sa
import vobject
from bs4 import BeautifulSoup

from portal.auth.models import User
from portal.extensions import db


def names(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a.get_text() for a in page.select(".contact-name a")]


def option_value(response, select: str, label: str) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return next(o["value"] for o in page.select(f"{select} option") if o.get_text() == label)


def test_danish_alphabetical_order(client, make_contact):
    for name in ["Aase Aa", "Åge Å", "Zenia Z", "Øjvind Ø", "Ærling Æ", "Anders A"]:
        make_contact(name=name)
    assert names(client.get("/kontaktpersoner/")) == [
        "Anders A",
        "Zenia Z",
        "Ærling Æ",
        "Øjvind Ø",
        "Åge Å",
        "Aase Aa",  # Aase = Åse
    ]


def test_filters_combine_and_stay_in_the_url(client, make_contact):
    make_contact(
        name="Bo BIF",
        administration="BIF",
        centre="Jobcenter København",
        team="Hotline",
        areas=["grøn linie"],
    )
    make_contact(
        name="Sif SOF",
        administration="SOF",
        centre="Jobcenter København",
        team="Hotline",
        areas=["grøn linie"],
    )
    make_contact(
        name="Sara SOF",
        administration="SOF",
        centre="Rådgivningscenter København",
        team="Team A",
        areas=["misbrug"],
    )
    sof = client.get("/kontaktpersoner/?forvaltning=SOF")
    assert names(sof) == ["Sara SOF", "Sif SOF"]
    jobcenter = option_value(sof, "#f-center", "Jobcenter København")  # SOF's, from the list
    both = client.get(f"/kontaktpersoner/?forvaltning=SOF&center={jobcenter}")
    assert names(both) == ["Sif SOF"]
    hotline = option_value(both, "#f-team", "Hotline")
    assert names(client.get(f"/kontaktpersoner/?omraade=groen-linie&team={hotline}")) == ["Sif SOF"]
    assert names(client.get("/kontaktpersoner/?q=misbrug")) == ["Sara SOF"]
    assert names(client.get("/kontaktpersoner/?q=sif")) == ["Sif SOF"]
    page = BeautifulSoup(both.get_data(as_text=True), "html.parser")
    assert page.select_one("#f-adm option[selected]")["value"] == "SOF"
    vcf_link = page.find("a", string="Hent listen som vCard")["href"]
    assert "forvaltning=SOF" in vcf_link and "center=" in vcf_link


def test_card_shows_formatted_phone_mailto_and_demo_mark(client, make_contact):
    make_contact(name="Tove Tlf", phone="30 12 34 56")
    page = BeautifulSoup(client.get("/kontaktpersoner/").get_data(as_text=True), "html.parser")
    tel = page.select_one("a[href^='tel:']")
    assert tel["href"] == "tel:+4530123456" and tel.get_text() == "+45 30 12 34 56"
    assert page.select_one("a[href^='mailto:']").get_text().endswith("@example.com")


def test_pagination(client, make_contact):
    for n in range(23):
        make_contact(name=f"Person {n:02d}")
    assert len(names(client.get("/kontaktpersoner/"))) == 20
    assert len(names(client.get("/kontaktpersoner/?side=2"))) == 3


def test_deactivated_people_vanish_from_directory_api_and_search(app, client, make_contact):
    keep, gone = make_contact(name="Bliver Her"), make_contact(name="Går Væk")
    with app.app_context():
        from portal import search
        from portal.contacts import profiles

        search.rebuild()
        assert {r.title for r in search.search("Går Væk").results} == {"Går Væk"}
        profiles.deactivate(profiles.get_profile(gone), actor=None)
        db.session.commit()
        search.apply_pending()
        assert "Går Væk" not in {r.title for r in search.search("Går Væk").results}
    assert names(client.get("/kontaktpersoner/")) == ["Bliver Her"]
    assert client.get(f"/kontaktpersoner/{gone}").status_code == 404
    assert [c["name"] for c in client.get("/api/contacts").get_json()["contacts"]] == ["Bliver Her"]
    assert keep


def test_vcard_round_trip(client, make_contact):
    pid = make_contact(
        name="Vibeke Vcard",
        job_title="Socialrådgiver",
        team="Team Ø",
        workplace="Demogade 1, København",
    )
    response = client.get(f"/kontaktpersoner/{pid}.vcf")
    assert response.mimetype == "text/vcard"
    card = vobject.readOne(response.get_data(as_text=True))
    assert card.version.value == "3.0"
    assert card.fn.value == "Vibeke Vcard" and card.n.value.family == "Vcard"
    assert card.email.value.endswith("@example.com")
    assert card.tel.value == "+45 30 12 34 56"
    assert card.org.value == ["Socialforvaltningen", "Rådgivningscenter København", "Team Ø"]
    assert card.title.value == "Socialrådgiver"
    assert card.adr.value.street == "Demogade 1, København"


def test_vcard_of_the_filtered_list(client, make_contact):
    make_contact(name="Ane A", administration="BIF")
    make_contact(name="Bent B", administration="SOF")
    body = client.get("/kontaktpersoner.vcf?forvaltning=BIF").get_data(as_text=True)
    assert [c.fn.value for c in vobject.readComponents(body)] == ["Ane A"]


def test_api_contacts_json(client, make_contact):
    make_contact(name="Jens JSON", administration="BIF", areas=["samtykke", "jobplan"])
    data = client.get("/api/contacts?forvaltning=BIF").get_json()
    assert data["total"] == 1
    person = data["contacts"][0]
    assert person["name"] == "Jens JSON" and person["areas"] == ["jobplan", "samtykke"]
    assert person["phone"] == "+4530123456" and person["url"].startswith("/kontaktpersoner/")
    assert client.get("/api/contacts?forvaltning=SOF").get_json()["total"] == 0


def test_csv_export_for_editors(client, auth, make_user, make_contact):
    make_contact(name="=Formel Person")
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    response = client.get("/kontaktpersoner.csv")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:3] == ["Navn", "Stilling", "Forvaltning"]
    assert rows[1][0] == "'=Formel Person"  # no formula injection into Excel


def test_profile_page(client, make_contact, app):
    pid = make_contact(name="Pia Profil", about="Jeg kender misbrugsområdet.")
    page = BeautifulSoup(
        client.get(f"/kontaktpersoner/{pid}").get_data(as_text=True), "html.parser"
    )
    assert page.h1.get_text() == "Pia Profil"
    assert "Jeg kender misbrugsområdet." in page.get_text()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_profile_lists_the_meetings_the_person_organises(app, client, make_contact):
    from datetime import timedelta

    from portal.calendar.models import Event
    from portal.contacts.models import ContactProfile
    from portal.db import utcnow

    pid = make_contact(name="Mødeholder")
    with app.app_context():
        user_id = db.session.get(ContactProfile, pid).user_id
        start = utcnow() + timedelta(days=10)
        db.session.add(
            Event(
                uid="test-moede@portal",
                title="Netværksmøde for kontaktpersoner",
                kind="network",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                location="Rådhuset",
                organiser_id=user_id,
                administration="both",
            )
        )
        db.session.commit()
    page = BeautifulSoup(
        client.get(f"/kontaktpersoner/{pid}").get_data(as_text=True), "html.parser"
    )
    section = page.find("h2", string="Møder, personen holder").find_parent("section")
    assert "Netværksmøde for kontaktpersoner" in section.get_text()
