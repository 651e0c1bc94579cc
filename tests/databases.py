"""The test database as other processes reach it: gunicorn servers, pg_dump, psql."""

import os
import urllib.parse
from pathlib import Path

from django.db import connection


def database_url(name=None):
    """A postgres:// URL of the test database (its name read from the connection: pytest-xdist adds a suffix), or of
    another database `name` on the same server with the same credentials."""
    settings = connection.settings_dict
    user = urllib.parse.quote(settings["USER"] or "", safe="")
    password = f":{urllib.parse.quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{name or settings['NAME']}"


ROOT = Path(__file__).resolve().parent.parent


def server_environment(database, static_root, **settings):
    """The environment of a portal server started by a test: production-like (debug off), on `database` (a URL),
    with its static files collected into static_root, and nothing of the developer's own settings or Redis.
    `settings` adds or overrides variables (REDIS_URL=..., INTYMAK_PAGE_CACHE_SECONDS=...)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "INTYMAK_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="intymak.settings",
        DATABASE_URL=database,
        DJANGO_DEBUG="0",
        # The same key on every server a test starts, as in any deployment: sessions and CSRF tokens are signed with it.
        DJANGO_SECRET_KEY="test-only-key-for-servers-started-by-tests-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(settings)
    return env
