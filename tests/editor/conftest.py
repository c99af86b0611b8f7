"""Shared fixtures from the news tests, and the HTML checker."""

from tests.news.conftest import get_news, make_news  # noqa: F401
from tests.test_html_valid import vnu  # noqa: F401 (a fixture for test_front_page.py)
