"""Every public page makes a number of queries that does not grow with the number of grants."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Grant
from intymak.demo import generate_demo_data
from mediators.models import Mediator

pytestmark = pytest.mark.django_db


def _pages():
    grant = Grant.objects.published().filter(synthetic=True).order_by("pk").first()
    mediator = Mediator.objects.public().order_by("pk").first()
    return [
        "/ky/",
        "/ky/regions/",
        "/ky/regions/jalal-abad/",
        "/ky/initiatives/",
        "/ky/initiatives/?region=osh&theme=youth&status=active",
        "/ky/initiatives/?q=Nookat",
        "/ky/initiatives/?page=2",
        f"/ky/initiatives/{grant.slug}/",
        f"/ky/organizations/{grant.recipient.slug}/",
        "/ky/about/",
        "/ky/mediators/",
        "/ky/mediators/coverage/",
        "/ky/mediators/coverage/?region=osh",
        f"/ky/mediators/{mediator.slug}/",
    ]


def _query_counts(client, paths):
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_queries_per_page_are_the_same_at_10_and_at_500_grants(client, newsletter):
    generate_demo_data(grants=10, seed=1)
    # Same addresses at both sizes: the first synthetic grant, organisation and mediator stay the same.
    paths = _pages()
    small = _query_counts(client, paths)
    generate_demo_data(grants=490, seed=2)
    large = _query_counts(client, paths)
    assert Grant.objects.filter(synthetic=True).count() >= 500
    assert large == small
    assert max(small.values()) <= 20, small
