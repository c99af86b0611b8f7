"""The administration and account pages are valid HTML (Nu HTML Checker)."""

from tests.admin.conftest import shown_link
from tests.conftest import csrf_token
from tests.test_html_valid import check_html


def test_admin_and_account_pages_are_valid_html(app, client, admin, make_user, post, vnu, tmp_path):
    user = make_user("staff", email="med@example.com", name="Mette Medarbejder")
    created = post("/admin/brugere/ny", name="Ny Person", email="ny@example.com", role="editor")
    reset = post(f"/admin/brugere/{user.id}/nulstil")
    reset_link = shown_link(client.get(reset.headers["Location"]).get_data(as_text=True))
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in [
            "/admin/brugere",
            "/admin/brugere?rolle=editor&status=aktiv&q=ny",
            "/admin/brugere?q=findes-ikke",
            "/admin/brugere/ny",
            created.headers["Location"],
            reset.headers["Location"],
            f"/admin/brugere/{admin.id}",
            f"/admin/brugere/{user.id}/deaktiver",
            "/admin/log",
            "/admin/log?type=user&fra=2026-01-01&til=2026-12-31",
            "/admin/log?fra=igaar",
            "/min-konto",
            "/min-konto/adgangskode",
        ]
    }
    pages["opret med fejl"] = post("/admin/brugere/ny", name="", email="x").get_data(as_text=True)
    make_user("admin", email="admin2@example.com")
    pages["bekræft egen degradering"] = post(
        f"/admin/brugere/{admin.id}/rolle", role="editor"
    ).get_data(as_text=True)
    token = csrf_token(client, "/min-konto/adgangskode")
    pages["skift adgangskode med fejl"] = client.post(
        "/min-konto/adgangskode", data={"csrf_token": token, "current": "forkert"}
    ).get_data(as_text=True)
    guest = app.test_client()
    pages["nulstil"] = guest.get(reset_link).get_data(as_text=True)
    pages["ugyldigt link"] = guest.get("/nulstil-adgangskode/x").get_data(as_text=True)
    post(f"/admin/brugere/{user.id}/deaktiver")
    pages["deaktiveret bruger"] = client.get(f"/admin/brugere/{user.id}").get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
