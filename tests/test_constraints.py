"""Each rule that must always hold is refused by the database, and the admin says why in a form error."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from grants.models import Grant
from tests.factories import (
    GrantFactory,
    GrantUpdateFactory,
    LocationFactory,
    MediatorFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    TrainingFactory,
)
from tests.forms import submit

pytestmark = pytest.mark.django_db


def _refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_database_refuses_a_negative_amount():
    grant = GrantFactory()
    _refused(lambda: Grant.objects.filter(pk=grant.pk).update(amount=Decimal("-1"), currency="KGS"))


def test_database_refuses_an_amount_without_currency():
    grant = GrantFactory()
    _refused(lambda: Grant.objects.filter(pk=grant.pk).update(amount=Decimal("100"), currency=""))


def test_database_refuses_a_grant_ending_before_it_starts():
    grant = GrantFactory()
    _refused(lambda: Grant.objects.filter(pk=grant.pk).update(start_date="2022-05-01", end_date="2022-04-30"))


def test_database_refuses_a_duplicate_reference_and_slug():
    grant = GrantFactory()
    _refused(lambda: GrantFactory(reference=grant.reference))
    _refused(lambda: GrantFactory(slug=grant.slug))


def test_database_refuses_a_programme_ending_before_it_starts():
    _refused(lambda: ProgramFactory(start_date="2022-09-30", end_date="2021-04-01"))


def test_database_refuses_a_mediator_who_mentors_themself():
    mediator = MediatorFactory()
    mediator.mentor = mediator
    _refused(mediator.save)


def test_database_refuses_a_location_inside_itself():
    location = LocationFactory()
    location.parent = location
    _refused(location.save)


def test_database_refuses_half_coordinates_and_out_of_range_ones():
    _refused(lambda: LocationFactory(latitude=Decimal("41.5")))
    _refused(lambda: LocationFactory(latitude=Decimal("95"), longitude=Decimal("74")))


def test_database_refuses_duplicate_region_codes():
    region = RegionFactory()
    _refused(lambda: RegionFactory(coate=region.coate))
    _refused(lambda: RegionFactory(iso_code=region.iso_code))


def test_database_refuses_two_organisations_with_one_inn():
    OrganizationFactory(inn="01234567891011")
    _refused(lambda: OrganizationFactory(inn="01234567891011"))
    # Empty INNs are many and fine.
    OrganizationFactory(inn="")
    OrganizationFactory(inn="")


def test_database_refuses_media_coverage_without_link():
    _refused(lambda: GrantUpdateFactory(kind="media", link=""))


def test_database_refuses_a_training_ending_before_it_starts():
    _refused(lambda: TrainingFactory(date="2022-03-02", end_date="2022-03-01"))


def _en_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.mark.parametrize(
    ("changes", "language", "message"),
    [
        ({"amount": "-5", "currency": "KGS"}, "en", "Ensure this value is greater than or equal to 0."),
        ({"amount": "1000"}, "en", "Give the currency of the amount."),
        ({"start_date": "2022-05-01", "end_date": "2022-04-01"}, "en", "The end date cannot be before the start date."),
        ({"title_ky": "", "title_ru": "", "title_en": ""}, "en", "Fill this in in at least one language."),
        ({"amount": "1000"}, "ru", "Укажите валюту суммы."),
        ({"amount": "1000"}, "ky", "Сумманын валютасын көрсөтүңүз."),
    ],
)
def test_admin_shows_a_clear_error_and_saves_nothing(admin_client, changes, language, message):
    grant = GrantFactory()
    with translation.override(language):
        url = reverse("admin:grants_grant_change", args=[grant.pk])
    response = submit(admin_client, url, changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    grant.refresh_from_db()
    assert grant.amount is None and grant.end_date is None and grant.title_en


def test_admin_refuses_a_duplicate_reference_with_a_message(admin_client):
    other = GrantFactory()
    grant = GrantFactory()
    response = submit(admin_client, _en_url("admin:grants_grant_change", grant.pk), {"reference": other.reference})
    assert "Grant with this Reference already exists." in response.content.decode()


def test_admin_refuses_self_mentoring_with_a_message(admin_client):
    mediator = MediatorFactory()
    response = submit(admin_client, _en_url("admin:mediators_mediator_change", mediator.pk), {"mentor": mediator.pk})
    assert "A mediator cannot be their own mentor." in response.content.decode()
    mediator.refresh_from_db()
    assert mediator.mentor is None


def test_admin_refuses_a_mentorship_cycle_with_a_message(admin_client):
    first = MediatorFactory()
    second = MediatorFactory(mentor=first)
    response = submit(admin_client, _en_url("admin:mediators_mediator_change", first.pk), {"mentor": second.pk})
    assert "mentorship cycle" in response.content.decode()
    first.refresh_from_db()
    assert first.mentor is None
