"""PORTAL_LOCAL_LOGIN: passwords for everyone, only for named break-glass admins, or for no
one; the login page offers the municipality's account first when it is set up."""

from __future__ import annotations

import pytest

from portal import create_app
from portal.config import ConfigError
from tests.conftest import PASSWORD, csrf_token


def password_login(client, email: str):
    token = csrf_token(client, "/glemt-adgangskode")  # (with LOCAL_LOGIN=off /login has no form)
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def test_the_login_page_offers_the_municipalitys_account_first(client):
    page = client.get("/login?next=/kalender/").get_data(as_text=True)
    assert page.index("Log ind med kommunens konto") < page.index('name="password"')
    assert 'href="/login/kommune?next=/kalender/"' in page


def test_admins_mode_lets_only_the_named_admins_use_a_password(app, client, make_user, smtp_less):
    app.config.update(LOCAL_LOGIN="admins", LOCAL_LOGIN_ADMINS=["Noedadgang@Example.com"])
    make_user("admin", email="noedadgang@example.com")
    make_user("editor", email="redaktoer@example.com")
    refused = password_login(client, "redaktoer@example.com")
    assert refused.status_code == 403
    assert "Log ind med kommunens konto" in refused.get_data(as_text=True)
    assert client.get("/min-konto").status_code == 302
    assert password_login(client, "noedadgang@example.com").status_code == 302


def test_off_means_no_password_login_and_no_reset_mail(app, client, make_user, smtp_less):
    app.config["LOCAL_LOGIN"] = "off"
    make_user("admin", email="admin@example.com")
    assert password_login(client, "admin@example.com").status_code == 403
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and "Log ind med kommunens konto" in page
    token = csrf_token(client, "/glemt-adgangskode")
    client.post("/glemt-adgangskode", data={"email": "admin@example.com", "csrf_token": token})
    assert smtp_less() == 0


@pytest.fixture
def smtp_less(app):
    """How many mails were queued."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.mail.models import MailMessage

    def count() -> int:
        with app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(MailMessage))

    return count


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ({"LOCAL_LOGIN": "off", "OIDC_DISCOVERY_URL": ""}, "kan ingen logge ind"),
        ({"LOCAL_LOGIN": "nogle"}, "'all', 'admins' eller 'off'"),
        ({"SSO_GROUP_ROLES": "gruppe=chef"}, "er ikke en rolle"),
        ({"SSO_GROUP_ROLES": "bare-en-gruppe"}, "skal være gruppe=rolle"),
    ],
)
def test_settings_that_would_lock_everyone_out_stop_start_up(tmp_path, config, says):
    with pytest.raises(ConfigError, match=says):
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                "OIDC_DISCOVERY_URL": "http://127.0.0.1:1/.well-known/openid-configuration",
                **config,
            }
        )
