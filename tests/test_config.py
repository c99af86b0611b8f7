import pytest

from portal import create_app
from portal.config import ConfigError


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql://u@db.example/portal")
    monkeypatch.setenv("PORTAL_PUBLIC_READ", "false")
    monkeypatch.setenv("PORTAL_SEARCH_INDEX_DIR", str(tmp_path / "idx"))
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/portal"
    assert app.config["PUBLIC_READ"] is False
    assert app.config["SEARCH_INDEX_DIR"] == str(tmp_path / "idx")


def test_test_mapping_wins_over_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_PUBLIC_READ", "false")
    app = create_app({"TESTING": True, "PUBLIC_READ": True})
    assert app.config["PUBLIC_READ"] is True


def test_bad_boolean_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("PORTAL_PUBLIC_READ", "måske")
    with pytest.raises(ConfigError, match="PORTAL_PUBLIC_READ"):
        create_app({"TESTING": True})


@pytest.mark.parametrize("secret", [None, "dev", "kort-nøgle"])
def test_production_refuses_missing_or_weak_secret(monkeypatch, secret):
    monkeypatch.setenv("PORTAL_ENV", "production")
    if secret is None:
        monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("PORTAL_SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        create_app()


def test_production_starts_with_a_strong_secret(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "x" * 48)
    assert create_app().config["SECRET_KEY"] == "x" * 48


def test_instance_file_is_read_between_defaults_and_environment(monkeypatch, tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "portal.cfg").write_text("LOGIN_MAX_FAILURES = 9\nPUBLIC_READ = False\n")
    monkeypatch.setenv("PORTAL_PUBLIC_READ", "true")
    from flask import Flask

    from portal import config

    app = Flask("portal", instance_path=str(instance), instance_relative_config=True)
    config.load(app, {"TESTING": True})
    assert app.config["LOGIN_MAX_FAILURES"] == 9
    assert app.config["PUBLIC_READ"] is True


def test_every_problem_is_named_at_once(monkeypatch):
    """An operator fixes them all in one go, not one per start."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "kort")
    monkeypatch.setenv("PORTAL_BASE_URL", "x")
    monkeypatch.setenv("PORTAL_MAIL_FROM", "")
    with pytest.raises(ConfigError) as refused:
        create_app()
    lines = str(refused.value).splitlines()
    assert [line.split()[0] for line in lines] == [
        "PORTAL_BASE_URL",
        "PORTAL_MAIL_FROM",
        "PORTAL_SECRET_KEY",
    ]
    monkeypatch.setenv("PORTAL_PROXY_FIX", "ja")
    monkeypatch.setenv("PORTAL_WORKERS", "0")  # gunicorn.conf.py refuses it: so does the app
    with pytest.raises(ConfigError) as refused:
        create_app()
    lines = str(refused.value).splitlines()
    assert lines[:2] == [
        "PORTAL_PROXY_FIX skal være et heltal, ikke 'ja'.",
        "PORTAL_WORKERS skal være et positivt heltal, ikke '0'.",
    ]
    assert [line.split()[0] for line in lines[2:]] == [  # and the others still
        "PORTAL_BASE_URL",
        "PORTAL_MAIL_FROM",
        "PORTAL_SECRET_KEY",
    ]


@pytest.mark.parametrize(("trusted", "works"), [("intranet.kk.dk", False), (".kk.dk", True)])
def test_the_trusted_hosts_include_the_base_urls(monkeypatch, trusted, works):
    """Else the portal answers 400 to its own address (the container's health check too)."""
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.kk.dk")
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", trusted)
    if works:
        assert create_app({"TESTING": True}).config["SERVER_NAME"] == "portal.kk.dk"
    else:
        with pytest.raises(
            ConfigError, match=r"PORTAL_TRUSTED_HOSTS skal også nævne portal\.kk\.dk"
        ):
            create_app({"TESTING": True})


def test_the_search_index_name_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORTAL_SEARCH_INDEX_NAME", "server-a")
    assert create_app({"TESTING": True}).config["SEARCH_INDEX_NAME"] == "server-a"


def test_a_flask_command_says_what_to_fix_without_a_traceback(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env |= {"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "kort", "PORTAL_PROXY_FIX": "ja"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "check", "--deploy"],
        cwd=root,
        env=env | {"PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "PORTAL_PROXY_FIX skal være et heltal" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
