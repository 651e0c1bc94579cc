"""The public pages show what staff entered, in each language; unknown slugs give the 404 page."""

import lxml.html
import pytest

from tests.conftest import LANGUAGES
from tests.factories import GrantFactory, LocationFactory, OrganizationFactory, RegionFactory, TrainingFactory

pytestmark = pytest.mark.django_db


def _region_cards(html):
    """The home page's regions as shown: {address: (name, number of initiatives)}."""
    page = lxml.html.document_fromstring(html)
    return {
        card.get("href"): (card.xpath(".//span[contains(@class, 'fw-semibold')]")[0].text_content().strip(),
                           card.xpath(".//span[@class='count']")[0].text_content().strip())
        for card in page.xpath("//a[contains(@class, 'region-card')]")
    }  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_shows_the_programme_and_regions_with_their_counts(client, programme, language):
    busy = RegionFactory(name_ky="Түндүк облусу", name_ru="Северная область", name_en="North region")
    quiet = RegionFactory(name_ky="Түштүк облусу", name_ru="Южная область", name_en="South region")
    GrantFactory.create_batch(2, program=programme, recipient__location__region=busy)
    GrantFactory(program=programme, recipient__location__region=busy, published=False)
    GrantFactory(program=programme, recipient__location__region=quiet, archived=True)
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert getattr(programme, f"name_{language}") in html
    assert _region_cards(html) == {
        f"/{language}/regions/{busy.slug}/": (getattr(busy, f"name_{language}"), "2"),
        f"/{language}/regions/{quiet.slug}/": (getattr(quiet, f"name_{language}"), "0"),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_region_page_lists_its_initiatives(client, db, language):
    region = RegionFactory()
    recipient = OrganizationFactory(
        location=LocationFactory(region=region),
        name_ky="Корнелиус Коому", name_ru="Общество Корнелиуса", name_en="Cornelius Society",
    )  # fmt: skip
    wanted = GrantFactory(
        recipient=recipient, title_ky="Биримдик үчүн", title_ru="Во имя единства", title_en="In the name of unity"
    )
    grants = [wanted, *GrantFactory.create_batch(3, recipient__location__region=region)]
    other = GrantFactory()  # another region's
    html = client.get(f"/{language}/regions/{region.slug}/").content.decode()
    assert getattr(wanted, f"title_{language}") in html and getattr(recipient, f"name_{language}") in html
    for grant in grants:
        assert f'href="/{language}/initiatives/{grant.slug}/"' in html
    assert f"/initiatives/{other.slug}/" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_initiative_page_shows_title_organisation_region_and_targets(client, db, language):
    grant = GrantFactory(
        title_ky="Чыр-чатактарды алдын алуу — тынчтыктын негизи",
        title_ru="Предупреждение конфликтов — основа мира",
        title_en="Conflict prevention is the basis of peace",
        targets_ky="150 жаш катышат",
        targets_ru="150 молодых участников",
        targets_en="150 young participants",
    )
    html = client.get(f"/{language}/initiatives/{grant.slug}/").content.decode()
    assert getattr(grant, f"title_{language}") in html
    assert getattr(grant.recipient, f"name_{language}") in html
    assert getattr(grant.region, f"name_{language}") in html
    assert getattr(grant, f"targets_{language}") in html


def test_unpublished_grant_is_not_public(client, db):
    grant = GrantFactory()
    assert client.get(f"/en/initiatives/{grant.slug}/").status_code == 200
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


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("ky", "22 уюмдун ичинен эң көп демилгеси бар 10 уюм көрсөтүлдү."),
        ("ru", "Показаны 10 из 22 — с наибольшим числом инициатив."),
        ("en", "The 10 with the most initiatives of 22."),
    ],
)
def test_region_page_lists_its_busiest_organisations_and_counts_them_all(client, db, language, note):
    region = RegionFactory()
    busiest = OrganizationFactory(name_ky="Эң көп", name_ru="Больше всех", name_en="The busiest")
    GrantFactory.create_batch(3, region=region, recipient=busiest)
    quiet = OrganizationFactory(name_ky="Аз", name_ru="Меньше всех", name_en="The quietest")
    GrantFactory(region=region, recipient=quiet)
    others = OrganizationFactory.create_batch(20)
    for organization in others:
        GrantFactory.create_batch(2, region=region, recipient=organization)
    GrantFactory(recipient=quiet)  # another region's grant counts nowhere here
    # Nor do a draft and an archived one: only published() grants are public.
    GrantFactory(region=region, recipient=busiest, published=False)
    GrantFactory(region=region, recipient=busiest, archived=True)
    GrantFactory.create_batch(2, region=region, recipient=OrganizationFactory(), published=False)

    html = client.get(f"/{language}/regions/{region.slug}/").content.decode()
    section = html.split('id="organizations-title"')[1].split("</section>")[0]
    assert '<span class="badge text-bg-secondary">22</span>' in section
    assert note in section
    assert section.count("<li>") == 10
    assert busiest.name_en in section or busiest.name_ky in section or busiest.name_ru in section
    assert "(3)" in section
    # The organisation with one initiative is the 22nd: not listed (nor are 11 of the 20 with two).
    assert quiet.get_absolute_url() not in section


@pytest.mark.parametrize(
    ("language", "two_initiatives", "five_participants", "twenty_one_participants"),
    [
        ("ky", "айыл, 2 демилге", "5 катышуучу", "21 катышуучу"),
        ("ru", "село, 2 инициативы", "5 участников", "21 участник"),
        ("en", "village, 2 initiatives", "5 participants", "21 participants"),
    ],
)
def test_region_page_counts_initiatives_per_place_and_participants_per_training(
    client, db, language, two_initiatives, five_participants, twenty_one_participants
):
    region = RegionFactory()
    village = LocationFactory(region=region, kind="village", name_en="Ak-Jar", name_ky="Ак-Жар", name_ru="Ак-Жар")
    for grant in GrantFactory.create_batch(2, region=region):
        grant.locations.set([village])
    # Neither a draft nor an archived initiative counts (GrantQuerySet.published()).
    for grant in (GrantFactory(region=region, published=False), GrantFactory(region=region, archived=True)):
        grant.locations.set([village])
    TrainingFactory(location=village, participant_count=5)
    TrainingFactory(location=village, participant_count=21)

    html = client.get(f"/{language}/regions/{region.slug}/").content.decode()
    places = html.split('id="locations-title"')[1].split("</section>")[0]
    name = "Ak-Jar" if language == "en" else "Ак-Жар"
    assert f'{name} <span class="text-body-secondary">({two_initiatives})</span>' in places
    trainings = html.split('id="trainings-title"')[1].split("</section>")[0]
    assert f"· {five_participants}" in trainings and f"· {twenty_one_participants}" in trainings


def test_region_page_pages_through_its_published_initiatives(client, db):
    region = RegionFactory()
    GrantFactory.create_batch(23, region=region)
    GrantFactory.create_batch(2, region=region, published=False)
    GrantFactory(region=region, archived=True)
    first = client.get(f"/en/regions/{region.slug}/")
    section = first.content.decode().split('id="initiatives-title"')[1].split("</section>")[0]
    assert '<span class="badge text-bg-secondary">23</span>' in section
    assert section.count('class="card h-100 grant-card"') == 10
    assert f'href="/en/initiatives/?region={region.slug}"' in section
    third = client.get(f"/en/regions/{region.slug}/", {"page": 3}).content.decode()
    assert third.split('id="initiatives-title"')[1].split("</section>")[0].count('class="card h-100 grant-card"') == 3
    assert client.get(f"/en/regions/{region.slug}/", {"page": 4}).status_code == 404


def test_region_page_marks_a_place_name_shown_in_another_language(client, db):
    region = RegionFactory()
    place = LocationFactory(region=region, kind="village", name_ky="", name_ru="Кара-Суу", name_en="")
    GrantFactory(region=region).locations.set([place])
    html = client.get(f"/ky/regions/{region.slug}/").content.decode()
    assert f'<li id="location-{place.slug}"><span lang="ru">Кара-Суу</span> <span class="text-body-secondary">(' in html
    russian = client.get(f"/ru/regions/{region.slug}/").content.decode()
    assert f'<li id="location-{place.slug}">Кара-Суу <span class="text-body-secondary">(' in russian


def test_region_page_lists_its_real_places_and_the_synthetic_ones_with_initiatives_by_name(client, db):
    region = RegionFactory()
    LocationFactory(region=region, name_ky="Алма", name_ru="Яблоневое", name_en="Alma")
    used = LocationFactory(region=region, synthetic=True, name_ky="Кайың", name_ru="Берёзовка", name_en="Kayyng")
    GrantFactory(region=region).locations.set([used])
    unused = LocationFactory(region=region, synthetic=True, name_ky="Бош", name_ru="Пустое", name_en="Bosh")
    LocationFactory(name_ky="Башка", name_ru="Другое", name_en="Elsewhere")  # another region's place

    for language, first, second in (
        ("en", "Alma", "Kayyng"),
        ("ru", "Берёзовка", "Яблоневое"),
        ("ky", "Алма", "Кайың"),
    ):
        html = client.get(f"/{language}/regions/{region.slug}/").content.decode()
        places = html.split('id="locations-title"')[1].split("</section>")[0]
        assert places.count("<li ") == 2, language
        assert places.index(first) < places.index(second), language
        assert unused.slug not in places


def _main(html):
    return html[html.index("<main") : html.index("</main>")]


def test_a_description_that_repeats_the_summary_is_printed_once(client, db):
    text = "Жаштар менен диалог аркылуу тынчтык орнотуу."
    same = GrantFactory(summary_ky=text, description_ky=f"{text}\n", summary_en="", description_en="")
    main = _main(client.get(same.get_absolute_url()).content.decode())
    assert main.count(text) == 1
    assert "Демилге жөнүндө" not in main  # no heading over a repeat
    different = GrantFactory(summary_ky="Кыскача баяндама.", description_ky="Толук баяндама: эмне жана кантип.")
    main = _main(client.get(different.get_absolute_url()).content.decode())
    assert "Кыскача баяндама." in main and "Толук баяндама: эмне жана кантип." in main
    assert "Демилге жөнүндө" in main
