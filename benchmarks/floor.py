"""The floor: a bare Django view behind two middlewares, returning the bytes of the page it is compared with.

Settings module and URLconf in one, served by a gunicorn of its own beside the portal's:
`DJANGO_SETTINGS_MODULE=benchmarks.floor gunicorn 'django.core.wsgi:get_wsgi_application()'`. No app, no database,
no template: what any Django page costs at least on the same workers. Its two middlewares are the security headers
every answer of the portal carries, a cached page's included (intymak.security and Django's SecurityMiddleware).

`/floor/<name>/` answers the bytes of `<name>.html` in BENCHMARK_FLOOR_DIR, which the benchmark writes from the page
it measures (read once per worker, as a cached page is held by the cache).
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

from intymak.settings import *  # noqa: F403

INSTALLED_APPS = []
MIDDLEWARE = [
    "intymak.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
]
ROOT_URLCONF = "benchmarks.floor"
DATABASES = {}
FLOOR_DIR = Path(os.environ.get("BENCHMARK_FLOOR_DIR", "."))


@functools.cache
def _page(name):
    try:
        return (FLOOR_DIR / f"{name}.html").read_bytes()
    except OSError:
        return None


def floor(request, name):
    content = _page(name)
    if content is None:
        return HttpResponseNotFound(b"no such floor page", content_type="text/plain")
    return HttpResponse(content, content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<slug:name>/", floor)]
