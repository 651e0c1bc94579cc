import re

import pytest

from tests import factories

ALL_FACTORIES = [
    factories.RegionFactory,
    factories.LocationFactory,
    factories.OrganizationFactory,
    factories.ProgramFactory,
    factories.ProgramComponentFactory,
    factories.ThemeFactory,
    factories.GrantFactory,
    factories.GrantUpdateFactory,
    factories.LanguageFactory,
    factories.SpecialisationFactory,
    factories.MediatorFactory,
    factories.TrainingFactory,
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_makes_a_valid_saved_record(factory):
    first, second = factory(), factory()
    for obj in (first, second):
        obj.full_clean()
    assert first.pk and second.pk
    assert factory._meta.model.objects.count() >= 2 or factory is factories.LanguageFactory


@pytest.mark.django_db
def test_grant_factory_puts_the_grant_where_its_organisation_is():
    grant = factories.GrantFactory()
    assert grant.region == grant.recipient.location.region
    assert list(grant.locations.all()) == [grant.recipient.location]


def test_region_codes_of_factories_are_valid_and_never_a_real_regions():
    real = {"KG-B", "KG-C", "KG-GB", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"}
    codes = [factories._iso_code(n) for n in range(25 * 26)]
    assert len(set(codes)) == len(codes)
    assert not real & set(codes)
    assert all(re.fullmatch(r"KG-[A-Z]{1,2}", code) for code in codes)
