"""Hostile input never gives a 500: every route, as an anonymous user and as an admin, with
generated path values (huge integers, NUL bytes, odd dates and text), query strings and form
fields. Fixed seed and a bounded number of examples, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.kb.sync import sync_content
from portal.search import rebuild
from tests.conftest import PASSWORD

TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x00b", "%00", "ø" * 300, "' OR 1=1 --", "title:*", "%_%"]),
)
INTEGER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30]),
)
DAY = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01"]),
)
FIELDS = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        [
            "q",
            "side",
            "page",
            "forvaltning",
            "type",
            "center",
            "team",
            "omraade",
            "kind",
            "administration",
            "email",
            "password",
            "title",
            "body",
            "page_id",
            "version",
            "phone",
            "areas",
            "reason",
            "day",
            "start",
            "end",
            "capacity",
            "unit",
            "next",
            "summary",
            "page",
            "location",
            "job_title",
            "workplace",
            "centre",
            "deadline_day",
            "publish_at",
            "pinned_until",
        ],
        st.one_of(TEXT, INTEGER.map(str), DAY),
    ),
)


def value_for(converter):
    """Hostile values for a URL part; an ``any(...)`` part takes one of its words (any other
    value is not that route)."""
    if type(converter).__name__ == "AnyConverter":
        return st.sampled_from(sorted(converter.items))
    return {"IdConverter": INTEGER, "DayConverter": DAY}.get(type(converter).__name__, TEXT)


def rules(app) -> list:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def path_for(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        # A slash, "?" or "#" would end the path part: sent encoded, as a browser would.
        part = str(value).replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
        path = re.sub(rf"<[^>]*:?{name}>", lambda _match, part=part: part, path)
    return path


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "SEARCH_REBUILD_IN_BACKGROUND": False}


@pytest.fixture
def loaded(app):
    with app.app_context():
        sync_content()
        db.session.commit()
        rebuild()
    return app


@pytest.mark.parametrize("role", ["anon", "admin"])
def test_no_route_answers_500_to_hostile_input(loaded, client, make_user, role):
    if role == "admin":
        login = {"email": make_user("admin").email, "password": PASSWORD}
        assert client.post("/login", data=login).status_code == 302
    for rule in rules(loaded):
        probe_route(client, rule)


def probe_route(client, rule) -> None:
    converters = dict(rule._converters)
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})

    @seed(20261129)
    @settings(
        max_examples=10,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        values=st.fixed_dictionaries({n: value_for(c) for n, c in converters.items()}),
        fields=FIELDS,
        method=st.sampled_from(methods),
    )
    def probe(values, fields, method):
        path = path_for(rule, values)
        if method == "GET":
            response = client.get(path, query_string=fields)
        else:
            response = client.post(path, data=fields)
        assert response.status_code < 500, (method, path, fields, response.status_code)

    probe()


@pytest.mark.parametrize("value", [str(2**31), str(2**63), "-1", "1e9", "\x00"])
def test_a_huge_or_odd_page_id_for_a_shortcut_is_refused(loaded, client, make_user, value):
    login = {"email": make_user("editor").email, "password": PASSWORD}
    assert client.post("/login", data=login).status_code == 302
    response = client.post("/redaktion/genveje", data={"page": value})
    assert response.status_code == 400
