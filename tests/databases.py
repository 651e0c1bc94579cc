"""The test database as other processes reach it: gunicorn servers, pg_dump, psql."""

import urllib.parse

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
