"""What a region page counts: its busiest organisations, and the initiatives of each of its places.

Each is one hand-written statement, as the coverage table is (mediators/network.py). With the ORM each took two
queries, and composing them and building their rows cost more Python than PostgreSQL spends running them: on the
region page of 10,000 grants, 9 ms of CPU for the two sections against 2.5-3 ms now, and two statements fewer for
PostgreSQL. Public grants are those of GrantQuerySet.published(), published and not archived: the region page's tests
(tests/test_public_pages.py) put drafts and archived grants beside public ones and fail if the rules part.
"""

import functools

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language

from locations.models import Location
from locations.translated import language_codes

from .models import Grant, Organization

_BUSIEST_SQL = """
SELECT o.id, o.slug, o.name, {names}, busiest.n AS initiative_count, busiest.total
FROM (
    SELECT g.recipient_id, COUNT(*) AS n, COUNT(*) OVER () AS total
    FROM {grant} g
    WHERE g.region_id = %s AND g.published AND NOT g.archived
    GROUP BY g.recipient_id
    ORDER BY n DESC, g.recipient_id
    LIMIT %s
) busiest
JOIN {organization} o ON o.id = busiest.recipient_id
ORDER BY busiest.n DESC, o.id
"""

# The places' links to their region's public grants, counted through the (place, grant) index.
_PLACES_SQL = """
SELECT loc.id, loc.slug, loc.kind, loc.synthetic, loc.region_id, loc.name, {names},
    COALESCE(counted.n, 0) AS initiative_count
FROM {location} loc
LEFT JOIN (
    SELECT gl.location_id, COUNT(*) AS n
    FROM {place} gl
    JOIN {location} linked ON linked.id = gl.location_id
    WHERE linked.region_id = %s
        AND gl.grant_id IN (SELECT g.id FROM {grant} g WHERE g.region_id = %s AND g.published AND NOT g.archived)
    GROUP BY gl.location_id
) counted ON counted.location_id = loc.id
WHERE loc.region_id = %s AND (counted.n IS NOT NULL OR NOT loc.synthetic)
ORDER BY {order}, loc.id
"""


@functools.cache
def _sql(template, language=settings.LANGUAGE_CODE):
    quote = connection.ops.quote_name
    tables = {"grant": Grant, "organization": Organization, "location": Location, "place": Grant.locations.through}
    return template.format(
        **{name: quote(model._meta.db_table) for name, model in tables.items()},
        names=", ".join(quote(f"name_{code}") for code in language_codes()),
        order=quote(f"name_{language}"),
    )


def _page_language():
    language = (get_language() or "").split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE


def busiest_organizations(region, limit):
    """The region's organisations with the most public initiatives (initiative_count), at most `limit`, sorted by
    that number and then by name; and how many organisations have any there."""
    organizations = list(Organization.objects.raw(_sql(_BUSIEST_SQL), [region.pk, limit]))
    total = organizations[0].total if organizations else 0
    organizations.sort(key=lambda organization: (-organization.initiative_count, organization.name))
    return organizations, total


def places_with_initiatives(region):
    """The region's places with their number of public initiatives (initiative_count), by name in the page's
    language: synthetic places only where they have some."""
    places = list(Location.objects.raw(_sql(_PLACES_SQL, _page_language()), [region.pk] * 3))
    for place in places:
        Location.region.field.set_cached_value(place, region)
    return places
