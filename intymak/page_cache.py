"""Public pages cached per language for anonymous visitors, in the shared cache.

Every entry carries the data version it was made with. Any change to the portal's data sets a new version in the
same shared cache, so the next request from any worker (or any app server, with Redis) finds an entry of another
version, misses the cache and sees the change; the entry is then written anew. The version and the page are read
together (one round trip to Redis). Signed-in users always get fresh pages.

The middleware sits just inside the security headers and static files (settings.MIDDLEWARE), before sessions,
authentication, CSRF, messages and the language: a cached page needs none of them. It serves only what they would
have left alone, a visitor without a session or messages cookie (so anonymous, with nothing of their own on the
page) asking for an address that names its language, and it stores only pages answered to such a visitor.
"""

import hashlib
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "intymak:data-version"
# The pages of these URL namespaces are public and the same for every anonymous visitor. (Pages for
# signed-in people only, such as reports, redirect anonymous visitors, and redirects are never stored.)
PUBLIC_NAMESPACES = {"intymak", "grants", "mediators"}
# What the rest of the middleware adds to a page that a cached copy must say too (the security headers are added
# to every answer by the middleware outside this one).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def invalidate(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _language(request):
    """The page's language when the request could be served from the cache, else None."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return None
    return translation.get_language_from_path(request.path_info)


def _key(request, language):
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"intymak:page:{language}:{path}"


def _public(request):
    match = request.resolver_match
    return match is not None and bool(PUBLIC_NAMESPACES.intersection(match.namespaces))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _language(request)
        if language is None:
            return self.get_response(request)
        key = _key(request, language)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or data_version()
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _version, content, headers = entry
            response = HttpResponse(content, headers=headers)
            response["Content-Length"] = str(len(content))
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        # Only a plain public page is shared: not an error, a redirect, or a response that sets a cookie.
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and _public(request)
        ):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (version, response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
