"""``portal check --deploy`` fails, naming every problem in Danish, on each setting a production
server must not run with, and passes on a good production configuration."""

from __future__ import annotations

import secrets

import pytest

from tests.conftest import make_test_app

REDIS = "redis://127.0.0.1:6379/0"


def production(database_url: str) -> dict:
    """A good production configuration for this database."""
    shared = database_url.startswith("postgresql")
    return {
        "TESTING": False,
        "ENV_NAME": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": True,
        "BASE_URL": "https://portal.example.dk",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS if shared else "memory://",
        "SERVERS": 2 if shared else 1,
        "PROXY_FIX": 1,
        "MAIL_SERVER": "smtp.example.dk",
        "WORKERS": 4 if shared else 1,
    }


def check(app_, database_url, tmp_path, **overrides):
    """Run ``portal check --deploy`` on an app sharing ``app_``'s database (``app`` made the
    schema and empties it afterwards)."""
    config = {**production(database_url), **overrides}
    app = make_test_app(database_url, tmp_path, **config)
    return app.test_cli_runner().invoke(args=["portal", "check", "--deploy"])


def test_a_good_production_configuration_passes(app, database_url, tmp_path):
    result = check(app, database_url, tmp_path)
    assert result.exit_code == 0, result.output
    assert "Ingen problemer fundet." in result.output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": True}, "Debug-tilstand er slået til"),
        ({"SESSION_COOKIE_SECURE": False}, "PORTAL_SESSION_COOKIE_SECURE=true"),
        ({"BASE_URL": None}, "PORTAL_BASE_URL mangler"),
        ({"BASE_URL": "http://portal.example.dk"}, "PORTAL_BASE_URL skal begynde med https://"),
        ({"RATELIMIT_ENABLED": False}, "Grænserne for login er slået fra"),
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}, "kan ikke nås"),
        (
            {"RATELIMIT_STORAGE_URI": "memory://", "SERVERS": 1, "WORKERS": 3},
            "tælles i hver af 3 processer for sig",
        ),
        # The secret is long, but not random (production start-up only checks the length).
        ({"SECRET_KEY": "abcd" * 12}, "PORTAL_SECRET_KEY er for svag"),
        # An example file's comment after an empty value, as systemd reads it: long and varied.
        (
            {"SECRET_KEY": "# python -c 'import secrets; print(secrets.token_urlsafe(48))'"},
            "PORTAL_SECRET_KEY ligner en kommentar",
        ),
    ],
    ids=[
        "debug",
        "cookies",
        "no-base-url",
        "http",
        "limits-off",
        "redis-down",
        "memory",
        "key",
        "comment",
    ],
)
def test_each_unsafe_setting_fails_the_check(app, database_url, tmp_path, overrides, message):
    result = check(app, database_url, tmp_path, **overrides)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("Problem:")]
    # The good configuration has none (above), so this setting is what the check found.
    assert any(message in problem for problem in problems), result.output
    assert f"ikke klar til drift ({len(problems)} problem" in result.output


def test_a_short_secret_and_development_mode_are_both_named(app, database_url, tmp_path):
    # Start-up refuses a weak key in production, so the check meets it in development.
    result = check(app, database_url, tmp_path, ENV_NAME="development", SECRET_KEY="dev")
    assert result.exit_code == 1
    assert "PORTAL_ENV er ikke 'production'" in result.output
    assert "PORTAL_SECRET_KEY er for svag" in result.output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SERVERS": 2, "WORKERS": 1}, "SQLite kan ikke deles af 2 servere"),
        ({"SERVERS": 1, "WORKERS": 4}, "SQLite med 4 arbejdsprocesser"),
    ],
    ids=["servers", "workers"],
)
def test_sqlite_with_several_servers_or_workers_fails(tmp_path, overrides, message):
    config = {**production("sqlite://"), **overrides, "RATELIMIT_STORAGE_URI": REDIS}
    app = make_test_app(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path, **config)
    from portal.extensions import db

    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["portal", "check", "--deploy"])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("Problem:")]
    assert len(problems) == 1 and message in problems[0], result.output


def test_every_problem_is_listed_at_once(tmp_path):
    app = make_test_app(
        f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        tmp_path,
        DEBUG=True,
        SERVERS=3,
        WORKERS=2,
        RATELIMIT_ENABLED=True,
    )
    result = app.test_cli_runner().invoke(args=["portal", "check", "--deploy"])
    assert result.exit_code == 1
    for message in (
        "Debug-tilstand",
        "PORTAL_ENV",
        "PORTAL_SECRET_KEY",
        "PORTAL_SESSION_COOKIE_SECURE",
        "PORTAL_BASE_URL mangler",
        "SQLite kan ikke deles af 3 servere",
        "tælles i hver af 6 processer",
        "har ikke portalens tabeller",  # no schema: the database checks cannot run
    ):
        assert message in result.output


def test_without_deploy_only_the_database_is_checked(runner):
    result = runner.invoke(args=["portal", "check"])
    assert result.exit_code == 0 and "Ingen problemer fundet." in result.output


def test_no_trusted_proxy_or_mail_server_are_warnings_not_failures(app, database_url, tmp_path):
    result = check(app, database_url, tmp_path, PROXY_FIX=0, MAIL_SERVER="")
    assert result.exit_code == 0, result.output
    assert "Advarsel: PORTAL_PROXY_FIX er 0" in result.output
    assert "Advarsel: PORTAL_MAIL_SERVER mangler" in result.output


def test_a_database_problem_says_which_database_and_what_to_do(tmp_path):
    """Not "Databasen kan ikke læses: OperationalError." for every kind of trouble."""
    empty = make_test_app(f"sqlite:///{tmp_path / 'ny.sqlite3'}", tmp_path)
    result = empty.test_cli_runner().invoke(args=["portal", "check"])
    assert result.exit_code == 1
    assert "ny.sqlite3 har ikke portalens tabeller" in result.output
    assert "flask --app wsgi portal setup" in result.output
    closed = make_test_app(
        "postgresql://portal:hemmelig@127.0.0.1:1/portal", tmp_path, DB_CONNECT_TIMEOUT=2
    )
    result = closed.test_cli_runner().invoke(args=["portal", "check"])
    assert result.exit_code == 1
    assert "Databasen postgresql://portal:***@127.0.0.1:1/portal kan ikke nås eller" in (
        result.output
    )
    assert "hemmelig" not in result.output


def test_no_administrator_is_a_warning_until_there_is_one(app, database_url, tmp_path):
    from portal.auth import services
    from portal.extensions import db

    result = check(app, database_url, tmp_path)
    assert result.exit_code == 0 and "Advarsel: Der er ingen aktiv administrator" in result.output
    with app.app_context():
        services.create_user("admin@example.dk", "Anna Admin", "admin", "x" * 16)
        db.session.commit()
    result = check(app, database_url, tmp_path)
    assert result.exit_code == 0 and "administrator" not in result.output, result.output
