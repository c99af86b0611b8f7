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
