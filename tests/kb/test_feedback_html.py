"""The pages reader feedback adds or changes are valid HTML (Nu HTML Checker): the block at the
end of a page in each of its states, Redaktion's section and the editors' lists."""

from tests.kb.feedback_helpers import GUIDE, PROCEDURE, handle, leave, rows
from tests.test_html_valid import check_html, vnu  # noqa: F401 (a fixture)


def test_feedback_pages_are_valid_html(app, client, auth, make_user, synced, vnu, tmp_path):  # noqa: F811
    pages = {"anonym vejviser": client.get(GUIDE).get_data(as_text=True)}
    make_user("staff", email="laeser@example.com")
    auth.login("laeser@example.com")
    pages["læser, tom formular"] = client.get(PROCEDURE).get_data(as_text=True)
    pages["læser, fejl"] = leave(client, GUIDE, None, "cpr 010190-1234").get_data(as_text=True)
    leave(client, GUIDE, "nej", "Linket til blanketten virker ikke.")
    leave(client, PROCEDURE, "ja", "")
    pages["læser, efter svar"] = client.get(GUIDE).get_data(as_text=True)
    auth.logout()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    item = rows(app)[0]["id"]
    pages["Redaktion"] = client.get("/redaktion").get_data(as_text=True)
    pages["alle"] = client.get("/redaktion/tilbagemeldinger").get_data(as_text=True)
    pages["side, åben"] = client.get("/redaktion/tilbagemeldinger/groen-linie").get_data(
        as_text=True
    )
    pages["side, fejl"] = handle(client, item, "").get_data(as_text=True)
    handle(client, item, "Rettet.")
    pages["side, behandlet"] = client.get("/redaktion/tilbagemeldinger/groen-linie").get_data(
        as_text=True
    )
    pages["redaktør på siden"] = client.get(GUIDE).get_data(as_text=True)
    auth.logout()
    auth.login("laeser@example.com")
    pages["læser, svar fra redaktionen"] = client.get(GUIDE).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
