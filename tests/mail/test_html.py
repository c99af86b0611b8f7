"""The mail pages, and the HTML of the mail itself, are valid HTML (Nu HTML Checker)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from portal.contacts import invitations, units
from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import MailMessage
from portal.transaction import transaction
from tests.conftest import Auth, csrf_token
from tests.mail.test_delivery import queue_one
from tests.test_html_valid import check_html, vnu  # noqa: F401 (vnu: a fixture)


def test_mail_pages_and_mail_bodies_are_valid_html(app, client, make_user, vnu, tmp_path):  # noqa: F811
    make_user("admin", email="admin@example.com")
    with app.app_context():
        units.ensure("SOF", "Rådgivningscenter København", "Team A")
        profile = invitations.create_contact(
            {
                "name": "Karen Kontakt",
                "email": "k@example.com",
                "administration": "SOF",
                "centre": "Rådgivningscenter København",
                "team": "Team A",
            },
            actor=None,
        )
        profile.confirmed_at = utcnow() - timedelta(days=400)
        db.session.commit()
        with transaction():
            queue_one()
    assert app.test_cli_runner().invoke(args=["portal", "jobs", "run"]).exit_code == 0

    pages: dict[str, str] = {}
    guest = app.test_client()
    pages["glemt"] = guest.get("/glemt-adgangskode").get_data(as_text=True)
    token = csrf_token(guest, "/glemt-adgangskode")
    pages["glemt, fejl"] = guest.post(
        "/glemt-adgangskode", data={"csrf_token": token, "email": ""}
    ).get_data(as_text=True)
    pages["glemt, sendt"] = guest.post(
        "/glemt-adgangskode", data={"csrf_token": token, "email": "k@example.com"}
    ).get_data(as_text=True)
    with app.app_context():
        messages = db.session.scalars(sa.select(MailMessage)).all()
        for message in messages:
            pages[f"brev {message.key}"] = message.body_html
        reminder = next(m for m in messages if m.kind == "reminder").body_text
    link = urlsplit(re.search(r"https?://\S+/min-profil/bekraeft/\S+", reminder).group()).path
    pages["bekræft fra link"] = guest.get(link).get_data(as_text=True)
    pages["bekræftet"] = guest.post(link, data={"csrf_token": csrf_token(guest, link)}).get_data(
        as_text=True
    )
    pages["brugt link"] = guest.get(link).get_data(as_text=True)

    Auth(client).login("admin@example.com")
    for url in [
        "/admin/post",
        "/admin/post?status=failed",
        "/admin/post/1",
        "/min-konto/e-mail",
        "/min-konto",
    ]:
        pages[url] = client.get(url).get_data(as_text=True)
    app.config["MAIL_SERVER"] = ""
    pages["brev uden mailserver"] = client.get("/admin/post/1").get_data(as_text=True)
    check_html(vnu, pages, tmp_path)
