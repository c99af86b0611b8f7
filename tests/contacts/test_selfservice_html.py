"""Issue 14: the pages of the own-profile loop are valid HTML (Nu HTML Checker), also when
a confirmation is refused, a photo is too large or the history shows a phone change."""

import io
from datetime import timedelta

from bs4 import BeautifulSoup

from portal.contacts.models import ContactProfile
from portal.db import utcnow
from portal.extensions import db
from tests.contacts.test_selfservice import form_values, login_as
from tests.test_html_valid import check_html


def test_own_profile_loop_pages_are_valid_html(
    app, client, auth, make_user, make_contact, get_profile, vnu, tmp_path
):
    pid = make_contact(name="Valid Person")
    with app.app_context():
        db.session.get(ContactProfile, pid).confirmed_at = utcnow() - timedelta(days=200)
        db.session.commit()
    login_as(auth, get_profile, pid)
    pages = {"min profil (ikke bekræftet)": client.get("/min-profil").get_data(as_text=True)}
    data = form_values(client)
    data["team"] = "Ændret team"
    pages["bekræftelse afvist"] = client.post("/min-profil/bekraeft", data=data).get_data(
        as_text=True
    )
    token = BeautifulSoup(pages["bekræftelse afvist"], "html.parser").select_one(
        "input[name=csrf_token]"
    )["value"]
    pages["bekræftelse uden formular"] = client.post(
        "/min-profil/bekraeft", data={"csrf_token": token}
    ).get_data(as_text=True)
    data = form_values(client)
    data["photo"] = (io.BytesIO(b"\xff\xd8" + b"\0" * (6 * 1024 * 1024)), "stor.jpg")
    response = client.post("/min-profil", data=data, content_type="multipart/form-data")
    pages["for stort foto"] = response.get_data(as_text=True)
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 400
    data = form_values(client)
    data["phone"] = "30 99 88 77"
    client.post("/min-profil", data=data)
    pages["historik med telefon"] = client.get("/min-profil/historik").get_data(as_text=True)
    pages["egen profil"] = client.get(f"/kontaktpersoner/{pid}").get_data(as_text=True)
    auth.logout()
    stale = make_contact(name="Gammel Person")
    with app.app_context():
        db.session.get(ContactProfile, stale).confirmed_at = utcnow() - timedelta(days=200)
        db.session.commit()
    pages["kortet (ikke bekræftet)"] = client.get("/kontaktpersoner/").get_data(as_text=True)
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    for url in ["/kontaktpersoner/opfoelgning", f"/kontaktpersoner/{stale}"]:
        pages["redaktør " + url] = client.get(url).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
