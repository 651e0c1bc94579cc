"""Addresses by slug are the ones reverse() gives, in every language and under any script prefix."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from core.links import slug_url

VIEWS = ["grants:initiative", "grants:organization", "intymak:region", "mediators:detail"]


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
@pytest.mark.parametrize("viewname", VIEWS)
def test_slug_urls_are_what_reverse_gives(viewname, language):
    with translation.override(language):
        for slug in ("jalal-abad", "a", "water_for-2-villages"):
            assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})
        assert slug_url(viewname, "osh").startswith(f"/{language}/")


def test_slug_urls_follow_the_script_prefix():
    try:
        with translation.override("ru"):
            set_script_prefix("/portal/")
            assert slug_url("intymak:region", "osh") == "/portal/ru/regions/osh/"
            clear_script_prefix()
            set_script_prefix("/")
            assert slug_url("intymak:region", "osh") == "/ru/regions/osh/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("slug", ["", "two words", "ош", "a/b", "../admin"])
def test_a_slug_that_is_not_one_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("intymak:region", slug)
