"""``gunicorn.conf.py`` loads in gunicorn, sizes workers and threads from the cores or
``PORTAL_WORKERS``/``PORTAL_THREADS``, logs no personal data; the PostgreSQL pool fits the
threads."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

from portal import create_app, sizing

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **environ: str) -> Config:
    """The file as gunicorn reads it: every name it sets must be a valid gunicorn setting."""
    for name in ("PORTAL_WORKERS", "PORTAL_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(CONF))
    config = Config()
    for name, value in values.items():
        if name.startswith("_") or name in {"os", "sys", "sizing"}:
            continue
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)  # gunicorn's own validation
    return config


def test_the_defaults_follow_the_cores(monkeypatch):
    config = load(monkeypatch)
    assert config.workers == min(max(2, 2 * sizing.cores()), sizing.MAX_WORKERS)
    assert config.threads == 4
    assert config.worker_class_str == "gthread"
    assert 10 <= config.graceful_timeout <= config.timeout <= 60
    assert config.max_requests > 0 and 0 < config.max_requests_jitter < config.max_requests
    assert not config.preload_app  # a HUP reload must load the new release


def test_the_environment_sets_workers_and_threads(monkeypatch):
    config = load(monkeypatch, PORTAL_WORKERS="3", PORTAL_THREADS="8")
    assert (config.workers, config.threads) == (3, 8)


def test_the_access_log_holds_no_client_address_user_query_or_referrer(monkeypatch):
    log_format = load(monkeypatch).access_log_format
    for atom in ("%(h)s", "%(u)s", "%(r)s", "%(q)s", "%(f)s", "%(a)s", "{x-forwarded-for}i"):
        assert atom not in log_format
    assert "%(U)s" in log_format and "%(s)s" in log_format


POSTGRES = "postgresql://portal@db.example/portal"


def test_the_postgresql_pool_fits_the_threads(monkeypatch):
    monkeypatch.setenv("PORTAL_THREADS", "6")
    options = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": POSTGRES, "RATELIMIT_ENABLED": False}
    ).config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (6, 6)
    assert options["connect_args"]["connect_timeout"] == 5
    assert options["pool_pre_ping"] is True


def test_the_pool_size_can_be_set(monkeypatch):
    monkeypatch.setenv("PORTAL_DB_POOL_SIZE", "10")
    monkeypatch.setenv("PORTAL_DB_MAX_OVERFLOW", "0")
    config = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": POSTGRES, "RATELIMIT_ENABLED": False}
    ).config
    options = config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"]) == (10, 0)


def test_sqlite_gets_no_pool_options(tmp_path):
    config = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    ).config
    assert "pool_size" not in config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_metrics_directory_is_made_and_emptied_when_gunicorn_starts(monkeypatch, tmp_path):
    """A missing ``PROMETHEUS_MULTIPROC_DIR`` (``/run`` is emptied at every boot) made every
    request fail; the files of workers before a restart would be added to the new ones'."""
    directory = tmp_path / "run" / "metrics"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    config = load(monkeypatch)
    config.on_starting(None)
    assert directory.is_dir()
    (directory / "counter_123.db").write_bytes(b"old")
    config.on_starting(None)
    assert list(directory.iterdir()) == []


def test_a_bad_count_is_refused_with_one_danish_line(monkeypatch):
    """Not a traceback: gunicorn stops with the message."""
    with pytest.raises(SystemExit) as stopped:
        load(monkeypatch, PORTAL_WORKERS="0")
    assert "PORTAL_WORKERS skal være et positivt heltal, ikke '0'." in str(stopped.value)
