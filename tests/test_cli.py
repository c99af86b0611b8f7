import re

import pytest
import sqlalchemy as sa

from portal.auth.cli import DEMO_USERS
from portal.auth.models import User
from portal.extensions import db
from portal.search import indexing
from tests.conftest import drop_schema, make_test_app


def _user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_user_create_prompts_for_the_password(app, runner):
    result = runner.invoke(
        args=[
            "portal",
            "user",
            "create",
            "--email",
            "Ny@Example.com",
            "--name",
            "Ny Bruger",
            "--role",
            "editor",
        ],
        input="en-lang-adgangskode\nen-lang-adgangskode\n",
    )
    assert result.exit_code == 0, result.output
    user = _user(app, "ny@example.com")
    assert user.role == "editor" and user.password_hash.startswith("$argon2id$")


def test_user_create_refuses_a_short_password_with_a_danish_message(app, runner):
    result = runner.invoke(
        args=[
            "portal",
            "user",
            "create",
            "--email",
            "a@example.com",
            "--name",
            "A",
            "--role",
            "staff",
        ],
        input="kort\nkort\n",
    )
    assert result.exit_code != 0
    assert "mindst 12 tegn" in result.output
    assert _user(app, "a@example.com") is None


def test_user_create_refuses_a_duplicate(app, runner, make_user):
    make_user(email="a@example.com")
    result = runner.invoke(
        args=[
            "portal",
            "user",
            "create",
            "--email",
            "a@example.com",
            "--name",
            "A",
            "--role",
            "staff",
        ],
        input="en-lang-adgangskode\nen-lang-adgangskode\n",
    )
    assert result.exit_code != 0 and "findes allerede" in result.output


def test_user_deactivate(app, runner, make_user):
    before = make_user(email="a@example.com")
    result = runner.invoke(args=["portal", "user", "deactivate", "a@example.com"])
    assert result.exit_code == 0, result.output
    after = _user(app, "a@example.com")
    assert after.active is False and after.session_token != before.session_token
    missing = runner.invoke(args=["portal", "user", "deactivate", "ingen@example.com"])
    assert missing.exit_code != 0 and "Ingen bruger" in missing.output


def test_setup_demo_creates_demo_logins_once(app, runner):
    drop_schema(app)
    first = runner.invoke(args=["portal", "setup", "--demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.com" in first.output
    indexed = re.search(r"Søgeindeks: (\d+) dokumenter", first.output)
    with app.app_context():
        after_first = db.session.scalar(sa.select(sa.func.count(User.id)))
        assert indexed and int(indexed[1]) == indexing.count_all()  # the demo people too
    second = runner.invoke(args=["portal", "setup", "--demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        users = db.session.scalars(sa.select(User)).all()
    roles = {u.email: u.role for u in users}
    assert {email: roles.get(email) for email, _, _, _ in DEMO_USERS} == {
        email: role for email, _, role, _ in DEMO_USERS
    }
    assert len(users) == after_first  # the second run added no one
    assert all(u.is_demo for u in users)


def test_setup_without_demo_creates_no_accounts(app, runner):
    drop_schema(app)
    result = runner.invoke(args=["portal", "setup"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_setup_demo_is_refused_in_production(app, runner):
    app.config.update(ENV_NAME="production", TESTING=False)
    result = runner.invoke(args=["portal", "setup", "--demo"])
    assert result.exit_code != 0 and "produktion" in result.output


def test_production_refuses_demo_logins_and_to_start_with_them(app, runner, database_url, tmp_path):
    from portal.auth.checks import before_serving
    from portal.config import ConfigError

    drop_schema(app)
    assert runner.invoke(args=["portal", "setup", "--demo"]).exit_code == 0
    check = runner.invoke(args=["portal", "check"])
    assert check.exit_code == 1 and "demobrugere" in check.output
    production = make_test_app(
        database_url, tmp_path, TESTING=False, ENV_NAME="production", SECRET_KEY="x" * 40
    )
    with pytest.raises(ConfigError, match="demobrugere"):
        before_serving(production)
    with production.app_context():
        from portal.auth import services

        assert services.authenticate("admin@example.com", "demo-administrator") is None
