"""Addresses of records by slug, for pages that link to many of them.

reverse() matches the whole URL configuration on every call, and a region page links to some 60 records (the
measured cost is in benchmarks/README.md).
The address of a record differs from the next one's only by its slug, so the part around the slug is reversed
once per view, language, script prefix and URL configuration, and the slug put in between.
"""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# What Django's <slug:...> converter accepts: such a slug needs no quoting in a path.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "intymak-slug-placeholder"


@functools.lru_cache(maxsize=256)
def _around_slug(viewname, language, script_prefix, urlconf):
    before, _slug, after = reverse(viewname, kwargs={"slug": PLACEHOLDER}, urlconf=urlconf).partition(PLACEHOLDER)
    return before, after


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), for a URL pattern whose only argument is a slug."""
    if not SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})  # which explains what is wrong with it
    before, after = _around_slug(viewname, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"
