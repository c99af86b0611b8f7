"""Issue 14: what a profile form accepts. A too-large photo is a field error that keeps the
rest of the form; a phone number with an extension or from abroad is refused with a message
that the field's hint agrees with; the history shows phone numbers as everywhere else."""

import io

import pytest
from bs4 import BeautifulSoup

from portal.contacts import photos, units
from portal.extensions import db
from tests.contacts.test_photos import image_bytes
from tests.contacts.test_selfservice import form_values, login_as


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def post_large(client, path: str, data: dict):
    """A multipart post. The test client writes a large body to a temporary file that closing
    the response does not close (it closes a stream wrapping it): close it here."""
    response = client.post(path, data=data, content_type="multipart/form-data")
    response.get_data()
    response.request.environ["wsgi.input"].close()
    return response


def errors(response) -> dict[str, str]:
    return {p["id"]: p.get_text(" ", strip=True) for p in soup(response).select(".field-error")}


def team_b(app) -> str:
    """The id of a second team under the contact's centre (the team select's value)."""
    with app.app_context():
        _, team = units.ensure("SOF", "Rådgivningscenter København", "Team B")
        db.session.commit()
        return str(team.id)


def kept(response) -> tuple[str, str, str, str]:
    """What the answer's form holds: the job title, the chosen team, a proposed team and
    the text about the person."""
    page = soup(response)
    return (
        page.select_one("#job_title")["value"],
        page.select_one("#team option[selected]").get_text(),
        page.select_one("#team_nyt")["value"],
        page.select_one("#about").get_text().strip(),
    )


def big_photo(size: int) -> bytes:
    """A real JPEG padded to ``size`` bytes (a camera's file is large for its pixels)."""
    data = image_bytes("JPEG", exif=False)
    return data + b"\0" * (size - len(data))


# Bug 6: a photo over the limit


@pytest.mark.parametrize("megabytes", [5.5, 7, 20])
def test_a_too_large_photo_is_a_field_error_and_the_form_is_kept(
    app, client, auth, make_contact, get_profile, megabytes
):
    """5.5 MB passes the request limit and fails the photo's; 7 and 20 MB (a phone camera's
    photo) are over MAX_CONTENT_LENGTH, which gave a bare 413 page and lost the form."""
    assert megabytes * 1024 * 1024 > photos.MAX_BYTES
    pid = make_contact()
    login_as(auth, get_profile, pid)
    before = get_profile(pid)
    data = form_values(client)
    data.update(job_title="Ny stilling", team=team_b(app), about="Skrevet med omhu.")
    data["photo"] = (io.BytesIO(big_photo(int(megabytes * 1024 * 1024))), "kamera.jpg")
    response = post_large(client, "/min-profil", data)
    assert response.status_code == 400
    message = errors(response)["photo-fejl"]
    assert "for stort" in message and "højst 5 MB" in message
    assert kept(response) == ("Ny stilling", "Team B", "", "Skrevet med omhu.")
    assert get_profile(pid) == before  # nothing saved


def test_a_too_large_photo_on_the_editors_form_keeps_the_form(
    app, client, auth, make_user, make_contact, get_profile
):
    pid = make_contact()
    before = get_profile(pid)
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    path = f"/kontaktpersoner/{pid}/rediger"
    data = form_values(client, path)
    data.update(job_title="Redaktionens titel", team_nyt="Redaktionens team")
    data["photo"] = (io.BytesIO(big_photo(8 * 1024 * 1024)), "kamera.jpg")
    response = post_large(client, path, data)
    assert response.status_code == 400 and "for stort" in errors(response)["photo-fejl"]
    assert kept(response) == ("Redaktionens titel", "Team A", "Redaktionens team", "")
    assert get_profile(pid) == before


def test_the_raised_limit_is_for_the_photo_forms_only(app, client, auth, make_user):
    """Elsewhere a body over MAX_CONTENT_LENGTH is still refused before it is read."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    data = {"email": "x@example.com", "file": (io.BytesIO(b"\0" * (limit + 1)), "x.bin")}
    response = post_large(client, "/login", data)
    assert response.status_code == 413


def test_the_raised_limit_is_only_for_those_who_may_use_the_form(client, auth, make_user):
    """Anonymous and staff users cannot use /min-profil: their large bodies stay refused."""
    big = {"photo": (io.BytesIO(b"\0" * (7 * 1024 * 1024)), "kamera.jpg")}
    assert post_large(client, "/min-profil", dict(big)).status_code == 413
    staff = make_user("staff")
    auth.login(staff.email)
    big = {"photo": (io.BytesIO(b"\0" * (7 * 1024 * 1024)), "kamera.jpg")}
    assert post_large(client, "/min-profil", big).status_code == 413


def test_a_body_over_the_photo_forms_limit_is_refused(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    before = get_profile(pid)
    data = form_values(client)
    data["photo"] = (io.BytesIO(b"\0" * (photos.REQUEST_LIMIT + 1)), "enorm.jpg")
    response = post_large(client, "/min-profil", data)
    assert response.status_code == 413
    assert "mindre fil" in soup(response).get_text()
    assert get_profile(pid) == before


def test_the_photo_label_states_the_limit(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    label = soup(client.get("/min-profil")).select_one("label[for=photo]").get_text()
    assert "højst 5 MB" in label


# Bug 7: phone numbers


def phone_error(client, phone: str):
    data = form_values(client)
    data["phone"] = phone
    response = client.post("/min-profil", data=data)
    return response, errors(response).get("phone-fejl", "")


@pytest.mark.parametrize(
    "typed", ["33 66 33 66 ext 12", "33663366 x12", "+45 33 66 33 66 #12", "33663366 ext. 12"]
)
def test_an_extension_is_refused_not_dropped(client, auth, make_contact, get_profile, typed):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    response, message = phone_error(client, typed)
    assert response.status_code == 400
    assert "lokalnummer" in message and "8 cifre" in message
    assert soup(response).select_one("#phone")["value"] == typed
    assert get_profile(pid)["phone"] == "+4530123456"


@pytest.mark.parametrize("typed", ["+46 8 123 456 78", "+299 32 12 34", "0046 812345678"])
def test_a_foreign_number_is_refused_as_the_hint_says(
    client, auth, make_contact, get_profile, typed
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    hint = soup(client.get("/min-profil")).select_one("#phone-hjaelp").get_text()
    assert "dansk" in hint.lower() and "udenlandsk" in hint.lower()  # what is accepted
    response, message = phone_error(client, typed)
    assert response.status_code == 400 and "dansk" in message
    assert get_profile(pid)["phone"] == "+4530123456"


@pytest.mark.parametrize("typed", ["3366 ABCD", "33 66 33 66 lokal 12", "33 66 33 66 / 12"])
def test_letters_and_trailing_digits_are_refused(client, auth, make_contact, get_profile, typed):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    response, message = phone_error(client, typed)
    assert response.status_code == 400 and "8 cifre" in message
    assert get_profile(pid)["phone"] == "+4530123456"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("33 66 33 66", "+4533663366"),
        ("+45 33 66 33 66", "+4533663366"),
        ("0045 3366 3366", "+4533663366"),
        ("(+45) 33-66-33-66", "+4533663366"),
        ("", ""),
    ],
)
def test_danish_numbers_are_accepted(client, auth, make_contact, get_profile, typed, stored):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data["phone"] = typed
    assert client.post("/min-profil", data=data).status_code == 302
    assert get_profile(pid)["phone"] == stored


def test_editors_get_the_same_rule(client, auth, make_user):
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    data = form_values(client, "/kontaktpersoner/ny")
    data.update(name="Ny Person", email="ny@example.com", administration="SOF")
    data["phone"] = "33 66 33 66 ext 12"
    response = client.post("/kontaktpersoner/ny", data=data)
    assert response.status_code == 400 and "lokalnummer" in errors(response)["phone-fejl"]


# Bug 10: the history shows phone numbers as everywhere else


@pytest.mark.parametrize("who", ["person", "editor"])
def test_history_shows_phone_numbers_formatted(
    client, auth, make_user, make_contact, get_profile, who
):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data["phone"] = "30 99 88 77"
    assert client.post("/min-profil", data=data).status_code == 302
    path = "/min-profil/historik"
    if who == "editor":
        auth.logout()
        make_user("editor", email="red@example.com")
        auth.login("red@example.com")
        path = f"/kontaktpersoner/{pid}/historik"
    page = soup(client.get(path))
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("tbody tr")]
    phone = next(r for r in rows if r[3] == "Telefon")
    assert phone[4:] == ["+45 30 12 34 56", "+45 30 99 88 77"]
    assert "+4530" not in page.get_text()


def test_removing_the_photo_is_a_change_with_its_date(app, client, auth, make_contact, get_profile):
    from datetime import timedelta

    from portal.contacts.models import ContactProfile
    from portal.db import utcnow
    from portal.extensions import db

    pid = make_contact()
    login_as(auth, get_profile, pid)
    data = form_values(client)
    data["photo"] = (io.BytesIO(image_bytes()), "mig.jpg")
    client.post("/min-profil", data=data, content_type="multipart/form-data")
    week_ago = utcnow() - timedelta(days=7)
    with app.app_context():
        db.session.get(ContactProfile, pid).updated_at = week_ago
        db.session.commit()
    data = form_values(client)
    data["remove_photo"] = "y"
    assert client.post("/min-profil", data=data).status_code == 302
    with app.app_context():
        profile = db.session.get(ContactProfile, pid)
        assert profile.photo is None and profile.updated_at > week_ago + timedelta(days=6)
