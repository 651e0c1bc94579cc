"""Made-up records say so wherever they show, with one badge; real ones never carry it."""

import lxml.html
import pytest

from tests.factories import GrantFactory, LocationFactory, MediatorFactory, OrganizationFactory, TrainingFactory

pytestmark = pytest.mark.django_db

BADGE = {"ky": "Синтетикалык демо-маалымат", "ru": "Синтетические демо-данные", "en": "Synthetic demo data"}


def _badges(response):
    document = lxml.html.document_fromstring(response.content.decode())
    return [badge.text_content() for badge in document.xpath("//main//*[contains(@class, 'text-bg-warning')]")]


@pytest.fixture
def place():
    return LocationFactory(slug="kochkor", name_en="Kochkor")


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_page_that_shows_a_synthetic_record_marks_it(client, place, language):
    made_up = OrganizationFactory(slug="made-up", location=place, synthetic=True)
    grant = GrantFactory(slug="made-up-grant", recipient=made_up, synthetic=True)
    mediator = MediatorFactory(slug="made-up-mediator", location=place, synthetic=True)
    TrainingFactory(location=place, synthetic=True)
    badge = BADGE[language]
    assert _badges(client.get(f"/{language}/initiatives/")) == [badge]
    assert _badges(client.get(f"/{language}/initiatives/{grant.slug}/")) == [badge]
    assert _badges(client.get(f"/{language}/organizations/{made_up.slug}/")) == [badge, badge]  # and its grant's card
    assert _badges(client.get(f"/{language}/mediators/")) == [badge]
    assert _badges(client.get(f"/{language}/mediators/{mediator.slug}/")) == [badge]
    region_page = client.get(f"/{language}/regions/{place.region.slug}/")
    # The initiative's card, the mediator's card and the training.
    assert _badges(region_page) == [badge, badge, badge]


def test_real_records_carry_no_badge(client, place):
    organisation = OrganizationFactory(slug="real", location=place)
    grant = GrantFactory(slug="real-grant", recipient=organisation)
    mediator = MediatorFactory(slug="real-mediator", location=place)
    TrainingFactory(location=place)
    for path in ("/en/initiatives/", f"/en/initiatives/{grant.slug}/", f"/en/organizations/{organisation.slug}/",
                 "/en/mediators/", f"/en/mediators/{mediator.slug}/", f"/en/regions/{place.region.slug}/"):  # fmt: skip
        assert _badges(client.get(path)) == [], path
