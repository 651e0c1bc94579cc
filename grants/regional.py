"""What a region page counts, behind GrantQuerySet.recipient_counts() and .place_counts(): one hand-written statement
each, around the grants the caller selected, whose SQL the ORM compiles (so the public rule, published and not
archived, is stated only in grants.models).

Why by hand: the ORM's versions (tests/test_hand_written_queries.py, which checks that both return the same, on
PostgreSQL and SQLite) take two queries where these take one, and composing them costs more Python than PostgreSQL
spends running them; see benchmarks/README.md for the figures.
"""

import functools

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language

from core.translated import language_codes
from locations.models import Location

from .models import Grant, Organization

_BUSIEST_SQL = """
SELECT o.id, o.slug, o.name, {names}, busiest.n AS initiative_count, busiest.organizations, busiest.initiatives
FROM (
    SELECT g.recipient AS recipient_id, COUNT(*) AS n, COUNT(*) OVER () AS organizations,
        SUM(COUNT(*)) OVER () AS initiatives
    FROM ({grants}) g
    GROUP BY g.recipient
    ORDER BY n DESC, g.recipient
    LIMIT %s
) busiest
JOIN {organization} o ON o.id = busiest.recipient_id
ORDER BY busiest.n DESC, o.id
"""

# The places' links to the selected grants, counted through the (place, grant) index.
_PLACES_SQL = """
SELECT loc.id, loc.slug, loc.kind, loc.synthetic, loc.region_id, loc.name, {names},
    COALESCE(counted.n, 0) AS initiative_count
FROM {location} loc
LEFT JOIN (
    SELECT gl.location_id, COUNT(*) AS n
    FROM {place} gl
    JOIN {location} linked ON linked.id = gl.location_id
    WHERE linked.region_id = %s AND gl.grant_id IN ({grants})
    GROUP BY gl.location_id
) counted ON counted.location_id = loc.id
WHERE loc.region_id = %s
ORDER BY {order}, loc.id
"""


@functools.cache
def _tables(vendor):
    quote = connection.ops.quote_name
    tables = {"organization": Organization, "location": Location, "place": Grant.locations.through}
    return {name: quote(model._meta.db_table) for name, model in tables.items()}


def _names():
    """The name columns in every language, and the one to order by: the page's language."""
    language = (get_language() or "").split("-")[0]
    if language not in language_codes():
        language = settings.LANGUAGE_CODE
    quote = connection.ops.quote_name
    return {
        "names": ", ".join(quote(f"name_{code}") for code in language_codes()),
        "order": quote(f"name_{language}"),
    }


def _compiled(queryset, column):
    """The SQL and parameters of the selected grants' `column`, as the ORM writes them."""
    return queryset.order_by().values(column).query.sql_with_params()


def recipient_counts(grants, limit):
    sql, params = _compiled(grants, "recipient")
    statement = _BUSIEST_SQL.format(grants=sql, **_tables(connection.vendor), **_names())
    busiest = list(Organization.objects.raw(statement, [*params, limit]))
    busiest.sort(key=lambda organization: (-organization.initiative_count, organization.name))
    if not busiest:
        return 0, 0, []
    return int(busiest[0].initiatives), busiest[0].organizations, busiest


def place_counts(grants, region):
    sql, params = _compiled(grants, "pk")
    statement = _PLACES_SQL.format(grants=sql, **_tables(connection.vendor), **_names())
    places = list(Location.objects.raw(statement, [region.pk, *params, region.pk]))
    for place in places:
        place.region = region  # the page's own region object, rather than a query per place that asks for it
    return places
