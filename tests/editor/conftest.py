"""Shared fixtures from the news tests."""

from tests.news.conftest import get_news, make_news  # noqa: F401
