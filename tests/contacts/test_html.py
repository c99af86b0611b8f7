"""The contact pages are valid HTML (Nu HTML Checker)."""

from bs4 import BeautifulSoup

from tests.contacts.test_selfservice import login_as
from tests.test_html_valid import check_html


def test_contact_pages_are_valid_html(
    app, client, auth, make_user, make_contact, get_profile, vnu, tmp_path
):
    pid = make_contact(name="Valid Person", about="Om mig.")
    pages = {
        u: client.get(u).get_data(as_text=True)
        for u in ["/kontaktpersoner/", f"/kontaktpersoner/{pid}", "/invitation/x"]
    }
    login_as(auth, get_profile, pid)
    pages["min profil"] = client.get("/min-profil").get_data(as_text=True)
    html = BeautifulSoup(pages["min profil"], "html.parser")
    token = html.select_one("input[name=csrf_token]")["value"]
    pages["min profil med fejl"] = client.post(
        "/min-profil", data={"csrf_token": token, "email": "x", "version": "1"}
    ).get_data(as_text=True)
    pages["historik"] = client.get("/min-profil/historik").get_data(as_text=True)
    auth.logout()
    make_user("admin", email="admin@example.com")
    auth.login("admin@example.com")
    for url in [
        "/kontaktpersoner/ny",
        "/kontaktpersoner/opfoelgning",
        f"/kontaktpersoner/{pid}/rediger",
        f"/kontaktpersoner/{pid}",
    ]:
        pages["admin " + url] = client.get(url).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
