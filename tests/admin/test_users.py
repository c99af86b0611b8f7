"""The user list and its filters, creating users, roles (the last-admin rule and confirming
one's own demotion), deactivation and reactivation."""

from bs4 import BeautifulSoup

from tests.conftest import csrf_token


def names(client, url: str) -> list[str]:
    """The names in the user table, in order."""
    html = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return [row.td.get_text(strip=True) for row in html.select("table tbody tr")]


def test_list_shows_role_status_last_login_and_profile_in_danish_order(
    client, admin, make_user, post
):
    make_user("staff", email="oe@example.com", name="Øjvind Ørsted")
    make_user("editor", email="zz@example.com", name="Zenia Zink")
    make_user("staff", email="aa@example.com", name="Aage Aagaard")  # "Aa" sorts as Å
    make_user("contact", email="bo@example.com", name="Bo Berg")
    listed = names(client, "/admin/brugere")
    assert listed == ["Anna Admin", "Bo Berg", "Zenia Zink", "Øjvind Ørsted", "Aage Aagaard"]
    html = client.get("/admin/brugere").get_data(as_text=True)
    assert "Redaktør" in html and "Aktiv" in html and "Aldrig" in html and "Nej" in html


def test_filters_by_role_status_and_search(client, admin, make_user, post):
    staff = make_user("staff", email="sofie@example.com", name="Sofie Søndergaard")
    make_user("editor", email="erik@example.com", name="Erik Eriksen")
    post(f"/admin/brugere/{staff.id}/deaktiver")
    assert names(client, "/admin/brugere?rolle=editor") == ["Erik Eriksen"]
    assert names(client, "/admin/brugere?status=deaktiveret") == ["Sofie Søndergaard"]
    assert names(client, "/admin/brugere?status=aktiv") == ["Anna Admin", "Erik Eriksen"]
    assert names(client, "/admin/brugere?q=SØNDER") == ["Sofie Søndergaard"]
    assert names(client, "/admin/brugere?q=erik@") == ["Erik Eriksen"]
    assert names(client, "/admin/brugere?rolle=admin&status=aktiv&q=anna") == ["Anna Admin"]
    # Unknown filter values are ignored.
    assert len(names(client, "/admin/brugere?rolle=hacker&status=x")) == 3


def test_create_user_without_password_shows_invitation_link_after_redirect(
    client, admin, post, get_user, audit_actions
):
    response = post("/admin/brugere/ny", name="Ny Redaktør", email="Ny@Example.com", role="editor")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Invitationslink" in html and "/invitation/" in html
    assert "/invitation/" in client.get(response.headers["Location"]).get_data(as_text=True)
    user_id = int(response.headers["Location"].rsplit("/", 1)[1])
    user = get_user(user_id)
    assert user.password_hash is None and user.role == "editor" and user.email == "ny@example.com"
    assert ("create", None, "editor", "admin@example.com") in audit_actions()


def test_create_refuses_a_taken_email_and_keeps_the_input(client, admin, post):
    response = post("/admin/brugere/ny", name="Kopi", email="admin@example.com", role="staff")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Der findes allerede en bruger med den e-mail." in html and 'value="Kopi"' in html


def test_role_change_is_audited(admin, make_user, post, get_user, audit_actions):
    user = make_user("staff")
    assert post(f"/admin/brugere/{user.id}/rolle", role="editor").status_code == 302
    assert get_user(user.id).role == "editor"
    assert ("change_role", "staff", "editor", "admin@example.com") in audit_actions()


def test_the_last_active_admin_cannot_be_removed(app, client, admin, make_user, post, get_user):
    # Alone: demoting oneself (even confirmed) is refused and nothing changes.
    response = post(f"/admin/brugere/{admin.id}/rolle", role="staff", confirm="ja")
    assert response.status_code == 302
    assert "sidste aktive administrator" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert get_user(admin.id).role == "admin"
    # A deactivated admin does not count: still the last active one.
    other = make_user("admin", email="other@example.com")
    post(f"/admin/brugere/{other.id}/deaktiver")
    post(f"/admin/brugere/{admin.id}/rolle", role="editor", confirm="ja")
    assert get_user(admin.id).role == "admin"
    # With another active admin, the other one can be demoted but not the last one after.
    post(f"/admin/brugere/{other.id}/genaktiver")
    assert post(f"/admin/brugere/{other.id}/rolle", role="editor").status_code == 302
    assert get_user(other.id).role == "editor"


def test_the_last_admin_cannot_be_deactivated_and_nobody_deactivates_themselves(
    admin, post, get_user
):
    post(f"/admin/brugere/{admin.id}/deaktiver")
    assert get_user(admin.id).active


def test_demoting_oneself_needs_an_explicit_confirmation(
    client, admin, make_user, post, get_user, audit_actions
):
    make_user("admin", email="second@example.com")
    response = post(f"/admin/brugere/{admin.id}/rolle", role="editor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ja, fjern min administratorrolle" in html
    assert 'name="confirm" type="hidden" value="ja"' in html
    assert get_user(admin.id).role == "admin"
    assert not [a for a in audit_actions() if a[0] == "change_role"]
    response = post(f"/admin/brugere/{admin.id}/rolle", role="editor", confirm="ja")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert get_user(admin.id).role == "editor"
    assert client.get("/admin/brugere").status_code == 403


def test_deactivation_ends_sessions_at_once_and_reactivation_is_audited(
    app, client, admin, make_user, post, get_user, audit_actions
):
    from tests.conftest import Auth

    user = make_user("editor", email="red@example.com")
    other = app.test_client()
    Auth(other).login("red@example.com")
    assert other.get("/redaktion").status_code == 200
    confirm_page = client.get(f"/admin/brugere/{user.id}/deaktiver").get_data(as_text=True)
    assert "logget ud overalt med det samme" in confirm_page and "button-danger" in confirm_page
    assert get_user(user.id).active  # the GET only asks
    post(f"/admin/brugere/{user.id}/deaktiver")
    assert not get_user(user.id).active
    assert other.get("/redaktion").status_code == 302  # the session is gone
    post(f"/admin/brugere/{user.id}/genaktiver")
    assert get_user(user.id).active
    assert other.get("/redaktion").status_code == 302  # and does not come back
    assert Auth(other).login("red@example.com").status_code == 302
    actions = [(a, old, new) for a, old, new, _ in audit_actions()]
    assert ("deactivate", "True", "False") in actions and ("reactivate", "False", "True") in actions


def test_an_editor_cannot_use_the_admin_actions(client, auth, make_user):
    make_user("editor", email="red@example.com")
    target = make_user("admin", email="boss@example.com")
    auth.login("red@example.com")
    token = csrf_token(client, "/")
    response = client.post(
        f"/admin/brugere/{target.id}/rolle", data={"csrf_token": token, "role": "staff"}
    )
    assert response.status_code == 403
