"""Whatever a visitor puts in a public page's filters, the page answers 200 or 404, never 500, and echoes it escaped.

Property-based (hypothesis): Kyrgyz letters, NUL bytes, 10,000-character strings, HTML and SQL fragments and
any other text, in every filter and search parameter of the public pages. `INTYMAK_FUZZ_PROFILE=fuzz-long`
tries many more values than the default run.
"""

import os

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from grants.search import MAX_QUERY_LENGTH
from locations.models import Region

pytestmark = pytest.mark.django_db

hypothesis_settings.register_profile(
    "fuzz",
    max_examples=40,
    deadline=None,
    # No example database: failures are printed with the value that failed, and nothing is written to the tree.
    database=None,
    # The newsletter is loaded once per test, not per example: the requests only read it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile("fuzz-long", parent=hypothesis_settings.get_profile("fuzz"), max_examples=1000)
FUZZ = hypothesis_settings.get_profile(os.environ.get("INTYMAK_FUZZ_PROFILE", "fuzz"))

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    "'; DROP TABLE grants_grant; --",
    "1 OR 1=1",
    "' UNION SELECT password FROM auth_user --",
    "%' AND '%'='",
    "\x00",
    "batken\x00",
    "%00",
    "../../etc/passwd",
    "{{ 7|add:7 }}{% debug %}",
    "Ноокат ңөү ҢӨҮ",
    "-1",
    "0",
    "1e400",
    "99999999999999999999999",
    "NaN",
    " ",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet="ңөүҢӨҮабвгкл <>&\"'%;\\/\x00-_", max_size=40),
    # Long strings: 10,000 characters of one piece, repeated.
    st.builds(lambda piece, n: piece * n, st.sampled_from(["ң", "<b>", "\x00", "x", "Ө'"]), st.integers(1000, 10000)),
    st.integers(-(10**30), 10**30).map(str),
)
languages = st.sampled_from(["ky", "ru", "en"])

PARAMETERS = [
    ("initiatives/", name) for name in ("q", "region", "kind", "theme", "status", "page")
] + [
    ("mediators/", name) for name in ("region", "location", "language", "specialisation", "page")
] + [
    ("mediators/network/", "region"),
    ("mediators/coverage/", "region"),
    ("regions/{region}/", "page"),
]  # fmt: skip


def _echo_forms(value):
    """The value as a page might echo it: whole, cut to the search's length, or with its spaces tidied."""
    return {value, value[:MAX_QUERY_LENGTH], " ".join(value.split())[:MAX_QUERY_LENGTH]}


def _check(client, url, params, baseline):
    response = client.get(url, params)
    assert response.status_code in (200, 404), (url, params)
    if "<" in "".join(params.values()):
        page = response.content.decode()
        for value in params.values():
            for echo in _echo_forms(value):
                # Text that the page holds anyway ("<a", "<p") proves nothing either way.
                if "<" in echo and echo not in baseline(url):
                    assert echo not in page, (url, params)


@pytest.fixture
def baseline(client):
    """The page without any parameter, per address (fetched once)."""
    pages = {}

    def get(url):
        if url not in pages:
            pages[url] = client.get(url).content.decode()
        return pages[url]

    return get


@pytest.fixture
def region_slug(newsletter):
    return Region.objects.order_by("order").values_list("slug", flat=True).first()


def _fuzz_parameter(client, baseline, url, name):
    @FUZZ
    @given(value=values, language=languages)
    @example(value="<script>alert(1)</script>", language="ky")
    @example(value="\x00", language="ru")
    @example(value="ң" * 10000, language="en")
    def check(value, language):
        _check(client, f"/{language}/{url}", {name: value}, baseline)

    check()


def test_any_value_of_a_public_parameter_is_answered_safely(client, newsletter, region_slug, baseline):
    # One test loads the newsletter once; each parameter gets its own run of examples.
    for path, name in PARAMETERS:
        _fuzz_parameter(client, baseline, path.format(region=region_slug), name)


@FUZZ
@given(
    path=st.sampled_from(["initiatives/", "mediators/"]),
    params=st.dictionaries(
        st.sampled_from(["q", "region", "kind", "theme", "status", "location", "language", "specialisation", "page"]),
        values,
        max_size=5,
    ),
    language=languages,
)
def test_any_combination_of_filters_is_answered_safely(client, newsletter, baseline, path, params, language):
    _check(client, f"/{language}/{path}", params, baseline)
