"""The first public pages show the newsletter's data in each language; unknown slugs give the 404 page."""

import pytest

from grants.models import Grant
from locations.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading", "chui"),
    [
        ("ky", "Ынтымактуу Жашоо", "Чүй облусу"),
        ("ru", "Ынтымактуу Жашоо", "Чуйская область"),
        ("en", "Living in Peace", "Chui region"),
    ],
)
def test_home_shows_the_programme_and_regions_with_their_counts(client, newsletter, language, heading, chui):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert heading in html
    for region in Region.objects.all():
        count = region.grants.filter(published=True).count()
        assert f'href="/{language}/regions/{region.slug}/"' in html
        assert f'<span class="count">{count}</span>' in html
    assert chui in html


@pytest.mark.parametrize(
    ("language", "title", "organisation"),
    [
        ("ky", "Биримдик үчүн", "Корнелиус Коому"),
        ("ru", "Во имя единства", "Общество Корнелиуса"),
        ("en", "In the name of unity", "Cornelius Society"),
    ],
)
def test_region_page_lists_its_initiatives(client, newsletter, language, title, organisation):
    html = client.get(f"/{language}/regions/chui/").content.decode()
    assert title in html and organisation in html
    chui_grants = Grant.objects.filter(region__slug="chui")
    assert chui_grants.count() == 4
    for grant in chui_grants:
        assert f'href="/{language}/initiatives/{grant.slug}/"' in html
    # A grant of another region is not here.
    other = Grant.objects.exclude(region__slug="chui").first()
    assert f"/initiatives/{other.slug}/" not in html


@pytest.mark.parametrize(
    ("language", "title", "target"),
    [
        ("ky", "Чыр-чатактарды алдын алуу", "150"),
        ("ru", "Предупреждение конфликтов", "150"),
        ("en", "Conflict prevention is the basis", "150"),
    ],
)
def test_initiative_page_shows_title_organisation_region_and_targets(client, newsletter, language, title, target):
    grant = Grant.objects.get(targets_en__contains="150")
    html = client.get(f"/{language}/initiatives/{grant.slug}/").content.decode()
    assert title in html
    assert getattr(grant.recipient, f"name_{language}") in html
    assert getattr(grant.region, f"name_{language}") in html
    assert target in html


def test_unpublished_grant_is_not_public(client, newsletter):
    grant = Grant.objects.first()
    grant.published = False
    grant.save()
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 404
    assert f"/initiatives/{grant.slug}/" not in client.get(f"/en/regions/{grant.region.slug}/").content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [("ky", "Бул барак табылган жок"), ("ru", "Страница не найдена"), ("en", "Page not found")],
)
@pytest.mark.parametrize("path", ["regions/nowhere/", "initiatives/nothing-here/", "organizations/nobody/"])
def test_unknown_slugs_give_the_translated_404_page(client, db, language, message, path):
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 404
    assert message in response.content.decode()
