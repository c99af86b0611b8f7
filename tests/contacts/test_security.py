"""Issue 18 for contacts: CPR in every field, invitations that cannot take over an account,
photos without any metadata and without decoding huge images, LIKE patterns taken literally,
and a CSV guard that leaves phone numbers alone."""

import csv
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from PIL import Image, ImageFile

from portal.audit import AuditEntry
from portal.contacts import formats
from portal.contacts.models import ContactProfile
from portal.contacts.presenter import ContactView
from portal.extensions import db
from tests.conftest import csrf_token
from tests.contacts.test_directory import names
from tests.contacts.test_photos import photo_error, upload
from tests.contacts.test_selfservice import form_values, login_as


def field_errors(response) -> dict[str, str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return {p["id"]: p.get_text(strip=True) for p in page.select(".field-error")}


# #4: "Kan hjælpe med" is checked for CPR numbers, with a message next to the field


@pytest.mark.parametrize(
    "areas",
    [
        "misbrug, 010190-1234",
        "01.01.90-1234",
        "０１０１９０１２３４",
        "0101\u200b90 1234",
        "misbrug, 010190, 1234",
    ],
)
def test_a_cpr_number_in_areas_is_refused_next_to_the_field(
    client, auth, make_contact, get_profile, areas
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data.update(areas=areas, job_title="Ny titel")
    response = client.post("/min-profil", data=data)
    assert response.status_code == 400
    assert "CPR-nummer" in field_errors(response)["areas-fejl"]
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.select_one("#areas")["value"] == areas  # the input stays
    assert page.select_one("#job_title")["value"] == "Ny titel"
    after = get_profile(pid)
    assert after["areas"] == ["misbrug"] and after["version"] == 1


def test_an_editor_creating_a_contact_gets_the_areas_message(client, auth, make_user):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    response = client.post(
        "/kontaktpersoner/ny",
        data={
            "csrf_token": csrf_token(client, "/kontaktpersoner/ny"),
            "name": "Cpr Person",
            "administration": "BIF",
            "email": "cpr@example.com",
            "areas": "grøn linie, 010190–1234",
        },
    )
    assert response.status_code == 400
    assert "CPR-nummer" in field_errors(response)["areas-fejl"]


# #6: an invitation is for someone without a password; the audit names who asked


def invite(client, pid):
    token = csrf_token(client, f"/kontaktpersoner/{pid}")
    return client.post(f"/kontaktpersoner/{pid}/inviter", data={"csrf_token": token})


def test_an_editor_cannot_invite_someone_who_has_a_password(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact(name="Offer Person")  # has chosen a password
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    response = invite(client, pid)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/kontaktpersoner/{pid}/invitation"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "har allerede en adgangskode" in page and "handover-link" not in page
    with app.app_context():
        assert not db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "invite")
        ).all()


def test_an_old_link_for_someone_with_a_password_does_not_work(app, client, make_contact):
    from portal.contacts import invitations

    pid = make_contact()
    with app.app_context():
        user = db.session.get(ContactProfile, pid).user
        token = invitations.invite_token(user)  # as an editor could, before the fix
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 400


def test_the_audit_names_the_editor_who_asked_for_the_invitation(app, client, auth, make_user):
    from tests.contacts.test_editors import soup

    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    created = client.post(
        "/kontaktpersoner/ny",
        data={
            "csrf_token": csrf_token(client, "/kontaktpersoner/ny"),
            "name": "Nina Ny",
            "administration": "BIF",
            "email": "nina@example.com",
        },
    )
    handed_over = soup(client.get(created.headers["Location"]))
    path = "/" + handed_over.select_one("#handover-link")["value"].split("/", 3)[3]
    auth.logout()
    form = soup(client.get(path))
    client.post(
        path,
        data={
            "csrf_token": form.select_one("input[name=csrf_token]")["value"],
            "password": "nyt-langt-kodeord",
            "repeat": "nyt-langt-kodeord",
        },
    )
    with app.app_context():
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action.in_(("invite", "set_password")))
        ).all()
        assert {(e.action, e.actor) for e in entries} == {
            ("invite", "red@example.com"),
            ("set_password", "red@example.com"),
        }


# #8: photos keep no metadata, and huge images are refused before their pixels are decoded


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's segments up to the image data (SOS)."""
    markers, at = [], 2
    while data[at] == 0xFF and data[at + 1] != 0xDA:
        markers.append(data[at + 1])
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return markers


def test_the_jpeg_comment_is_removed(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(out, "JPEG", comment=b"GPS 55.67N 12.56E")
    assert b"GPS 55.67N" in out.getvalue()
    assert upload(client, out.getvalue(), "mig.jpg").status_code == 302
    stored = client.get(f"/kontaktpersoner/{pid}/foto").data
    assert b"GPS 55.67N" not in stored
    metadata = {0xFE, *range(0xE1, 0xF0)}  # COM, and APP1-APP15 (EXIF, XMP, ICC, ...)
    assert not set(jpeg_markers(stored)) & metadata
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and not set(image.info) & {"comment", "icc_profile", "xmp", "exif"}


def test_an_image_over_4096_pixels_is_refused_before_it_is_decoded(
    client, auth, make_contact, get_profile, monkeypatch
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    out = io.BytesIO()
    Image.new("RGB", (5000, 10)).save(out, "PNG")

    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    response = upload(client, out.getvalue(), "bred.png")
    assert response.status_code == 400
    assert "4096 × 4096" in photo_error(response)
    assert get_profile(pid)["photo"] is None


# #15: the directory's text filter takes % and _ literally


def test_percent_and_underscore_in_the_filter_are_literal(client, make_contact):
    make_contact(name="Hundrede Procent", job_title="100% på")
    make_contact(name="Under_Streg")
    make_contact(name="Anden Person")
    assert names(client.get("/kontaktpersoner/?q=%25")) == ["Hundrede Procent"]
    assert names(client.get("/kontaktpersoner/?q=_")) == ["Under_Streg"]
    assert names(client.get("/kontaktpersoner/?q=r_S")) == ["Under_Streg"]


# #19: the CSV guard neutralises formulas, not phone numbers


def view(**fields) -> ContactView:
    values = {
        "id": 1,
        "name": "Navn",
        "job_title": "",
        "administration": "BIF",
        "centre": "",
        "team": "",
        "workplace": "",
        "email": "a@example.com",
        "phone": "+4530123456",
        "areas": (),
        "about": "",
        "updated_at": datetime(2024, 1, 1, tzinfo=UTC),
        "is_demo": False,
        "photo_version": None,
        "stale": False,
        "confirmed_at": None,
    }
    values.update(fields)
    return ContactView(**values)


def csv_row(person: ContactView) -> dict[str, str]:
    body = formats.csv_text([person]).lstrip("\ufeff")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    return dict(zip(header, row, strict=True))


def test_a_phone_number_is_not_prefixed():
    assert csv_row(view())["Telefon"] == "+45 30 12 34 56"


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("x")', "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "+45 30 12 34 56 =1+1"],
)
def test_a_formula_is_prefixed(cell):
    assert csv_row(view(team=cell))["Team"] == "'" + cell
