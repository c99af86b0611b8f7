"""The main menu: every feature's entry, and "Redaktion" only for editors."""

from bs4 import BeautifulSoup


def menu(client) -> list[str]:
    page = BeautifulSoup(client.get("/tilgaengelighed").get_data(as_text=True), "html.parser")
    return [a.get_text() for a in page.select("nav[aria-label=Hovedmenu] a")]


def test_menu_for_staff_and_editors(client, auth, make_user):
    everyone = ["Vejviser", "Sagsgange", "Kontaktpersoner", "Kalender", "Nyheder"]
    assert menu(client) == everyone
    make_user("staff", email="s@example.com")
    auth.login("s@example.com")
    assert menu(client) == everyone
    auth.logout()
    make_user("editor", email="r@example.com")
    auth.login("r@example.com")
    assert menu(client) == [*everyone, "Redaktion"]
