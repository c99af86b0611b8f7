"""The news pages, the front page and the editors' area are valid HTML (Nu HTML Checker)."""

from tests.test_html_valid import check_html, vnu  # noqa: F401 (fixture)


def test_news_pages_are_valid_html(
    app,
    client,
    auth,
    make_user,
    make_news,
    get_news,
    vnu,  # noqa: F811
    tmp_path,
):
    item_id = make_news("Gyldig nyhed", body="## Mellemrubrik\n\n- punkt", pass_on=True)
    make_news("Kladde", published=None)
    slug = get_news(item_id).slug
    pages = {
        u: client.get(u).get_data(as_text=True) for u in ["/", "/nyheder/", f"/nyheder/{slug}"]
    }
    make_user("contact", email="kp@example.com")
    auth.login("kp@example.com")
    pages["kontakt /"] = client.get("/").get_data(as_text=True)
    pages["videreformidling"] = client.get("/nyheder/videreformidling").get_data(as_text=True)
    auth.logout()
    make_user("editor", email="red@example.com")
    auth.login("red@example.com")
    for url in [
        "/",
        "/redaktion",
        "/redaktion/genveje",
        "/redaktion/nyheder/",
        "/redaktion/nyheder/ny",
        f"/redaktion/nyheder/{item_id}",
    ]:
        pages["redaktør " + url] = client.get(url).get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
