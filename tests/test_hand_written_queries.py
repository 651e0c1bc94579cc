"""The hand-written statements behind GrantQuerySet.recipient_counts(), .place_counts() and
MediatorQuerySet.coverage_counts() return exactly what the ORM's versions below return (on the database the suite
runs on: SQLite by default, PostgreSQL with DATABASE_URL).

The world: the newsletter and synthetic data, with drafts and archived grants beside public ones, places of one
region linked to grants of another, places with nothing, a programme with target locations and one without."""

import pytest
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation

from grants.models import Grant, Organization, Program
from intymak.demo import generate_demo_data
from locations.models import Location, Region
from mediators.models import Mediator, Training
from mediators.network import TRAINING_KINDS
from tests.factories import GrantFactory, LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(newsletter):
    generate_demo_data(grants=80, seed=7)
    grants = list(Grant.objects.filter(published=True).order_by("pk"))
    # Drafts and archived grants that the public must not count, in every region.
    Grant.objects.filter(pk__in=[grant.pk for grant in grants[::7]]).update(archived=True)
    Grant.objects.filter(pk__in=[grant.pk for grant in grants[3::11]]).update(published=False)
    osh, chui = Region.objects.get(slug="osh"), Region.objects.get(slug="chui")
    # A grant of one region linked to a place of another; a place with no grant at all.
    elsewhere = GrantFactory(region=chui)
    elsewhere.locations.add(Location.objects.filter(region=osh).first())
    LocationFactory(region=osh, name_ky="Бош айыл", name_en="Empty village")
    # The newsletter's programme records target locations (one without any mediator); the demo programme does not.
    programme = Program.objects.get(slug=newsletter_programme_slug())
    programme.target_locations.set(
        [*Location.objects.filter(mediators__isnull=False).distinct()[:6], *[LocationFactory(region=osh)]]
    )
    return programme


def newsletter_programme_slug():
    return Program.objects.exclude(grants__synthetic=True).order_by("pk").values_list("slug", flat=True).first()


def _orm_recipient_counts(grants, limit):
    totals = grants.aggregate(grants=Count("pk"), organizations=Count("recipient", distinct=True))
    busiest = (
        Organization.objects.filter(grants__in=grants)
        .annotate(initiative_count=Count("grants"))
        .order_by("-initiative_count", "pk")[:limit]
    )
    busiest = sorted(busiest, key=lambda organization: (-organization.initiative_count, organization.name))
    return totals["grants"], totals["organizations"], busiest


def _orm_place_counts(grants, region):
    return list(
        Location.objects.filter(region=region)
        .annotate(initiative_count=Count("grants", filter=Q(grants__in=grants)))
        .order_by("name", "pk")
    )


def _count(rows):
    counted = rows.order_by().values("location").annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted), 0)


def _orm_coverage_counts(programme, region):
    targets = Program.target_locations.through.objects.filter(program=programme)
    public_grant_here = Grant.objects.published().filter(program=programme, locations=OuterRef("pk"))
    here = Mediator.objects.filter(location=OuterRef("pk"))
    locations = Location.objects.filter(
        Exists(targets.filter(location=OuterRef("pk"))) | (~Exists(targets) & Exists(public_grant_here))
    ).annotate(
        n_trained=_count(here.filter(trainings__kind__in=TRAINING_KINDS)),
        n_certified=_count(here.filter(certification=Mediator.Certification.CERTIFIED)),
        n_mentors=_count(here.filter(Exists(Mediator.objects.filter(mentor=OuterRef("pk"))))),
        n_trainings=_count(Training.objects.filter(location=OuterRef("pk"))),
    )
    return locations.filter(region=region) if region is not None else locations


def _organizations(rows):
    return [(row.pk, row.name, row.initiative_count) for row in rows]


def _places(rows):
    return [(row.pk, row.name, row.kind, row.synthetic, row.region_id, row.initiative_count) for row in rows]


def _coverage(rows):
    fields = ("n_trained", "n_certified", "n_mentors", "n_trainings")
    return sorted((row.pk, *(getattr(row, name) for name in fields)) for row in rows)


@pytest.mark.parametrize("language", ["ky", "en"])
def test_recipient_and_place_counts_are_the_orms(world, language):
    checked = 0
    with translation.override(language):
        for region in Region.objects.all():
            for grants in (Grant.objects.published().in_region(region), Grant.objects.in_region(region)):
                for limit in (3, 10):
                    mine = grants.recipient_counts(limit)
                    orm = _orm_recipient_counts(grants, limit)
                    assert mine[:2] == orm[:2], region.slug
                    assert _organizations(mine[2]) == _organizations(orm[2]), region.slug
                assert _places(grants.place_counts(region)) == _places(_orm_place_counts(grants, region))
                checked += 1
    assert checked == 2 * Region.objects.count()


def test_the_counts_leave_out_drafts_and_archived_grants(world):
    region = Region.objects.get(slug="osh")
    public = Grant.objects.published().in_region(region)
    every = Grant.objects.in_region(region)
    assert every.count() > public.count() > 0
    assert public.recipient_counts(10)[0] == public.count()
    assert every.recipient_counts(10)[0] == every.count()
    assert sum(place.initiative_count for place in public.place_counts(region)) < sum(
        place.initiative_count for place in every.place_counts(region)
    )


def test_coverage_counts_are_the_orms(world):
    demo = Program.objects.filter(grants__synthetic=True).distinct().get()
    assert not demo.target_locations.exists() and world.target_locations.exists()
    for programme in (world, demo):
        for region in (None, *Region.objects.all()):
            mine = Mediator.objects.coverage_counts(programme, region)
            orm = _orm_coverage_counts(programme, region)
            assert _coverage(mine) == _coverage(orm), (programme.slug, region)
    # The demo programme's targets are its public grants' places: some, with mediators trained there.
    everywhere = _coverage(Mediator.objects.coverage_counts(demo))
    assert everywhere and any(row[1] for row in everywhere)
    assert len(_coverage(Mediator.objects.coverage_counts(world))) == world.target_locations.count()
