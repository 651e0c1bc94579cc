"""Public pages cached per language for anonymous visitors, in the shared cache.

Every key carries the current data version. Any change to the portal's data sets a new version in the same
shared cache, so the next request from any worker (or any app server, with Redis) misses the cache and sees
the change; old entries simply expire. Signed-in users always get fresh pages.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "intymak:data-version"
# The pages of these URL namespaces are public and the same for every anonymous visitor. (Pages for
# signed-in people only, such as reports, redirect anonymous visitors, and redirects are never stored.)
PUBLIC_NAMESPACES = {"intymak", "grants", "mediators"}


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def invalidate(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _key(request):
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"intymak:page:{data_version()}:{request.LANGUAGE_CODE}:{path}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        # Only a plain public page is shared: not an error, a redirect, or a response that sets a cookie.
        if key and response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
            cache.set(key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._cacheable(request):
            return None
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        request._page_cache_key = key
        return None

    @staticmethod
    def _cacheable(request):
        match = request.resolver_match
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
            and match is not None
            and PUBLIC_NAMESPACES.intersection(match.namespaces)
        )
