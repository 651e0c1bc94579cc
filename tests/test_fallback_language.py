"""Text shown in a fallback language says so, in the visitor's language, and carries its own lang."""

import pytest

from tests.factories import (
    GrantFactory,
    LocationFactory,
    MediatorFactory,
    OrganizationFactory,
    ProgramFactory,
    RegionFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("ky", "Бул тилге азырынча которула элек: орусча көрсөтүлдү."),
        ("en", "Not yet translated into this language: shown in Russian."),
    ],
)
def test_russian_only_text_is_marked_on_the_initiative_page(client, language, note):
    grant = GrantFactory(
        title_ky=None, title_en=None, title_ru="Только по-русски",
        summary_ky=None, summary_en=None, summary_ru="Краткое описание только по-русски.",
    )  # fmt: skip
    html = client.get(f"/{language}/initiatives/{grant.slug}/").content.decode()
    assert '<h1 lang="ru">Только по-русски</h1>' in html
    assert '<p class="lead" lang="ru">Краткое описание только по-русски.</p>' in html
    assert note in html


def test_text_in_the_page_language_is_not_marked(client):
    grant = GrantFactory(title_ru="Заголовок")
    html = client.get(f"/ru/initiatives/{grant.slug}/").content.decode()
    assert "<h1>Заголовок</h1>" in html
    assert "fallback-note" not in html


def test_names_in_the_region_pages_lists_carry_the_language_they_are_shown_in(client):
    region = RegionFactory()
    place = LocationFactory(region=region, name_ky="", name_ru="Кара-Суу", name_en="")
    organisation = OrganizationFactory(name_ky="", name_ru="Только русское имя", name_en="")
    grant = GrantFactory(region=region, recipient=organisation, title_ky="", title_ru="Только по-русски", title_en="")
    grant.locations.set([place])
    ProgramFactory().target_locations.set([place])
    MediatorFactory(location=place, name_ky="", name_ru="Айгуль Русская", name_en="")
    TrainingFactory(location=place, title_ky="", title_ru="Семинар по-русски", title_en="")

    kyrgyz = client.get(f"/ky/regions/{region.slug}/").content.decode()
    for text in ("Кара-Суу", "Только русское имя", "Только по-русски", "Айгуль Русская", "Семинар по-русски"):
        shown = kyrgyz.count(f'<span lang="ru">{text}</span>')
        assert shown and shown == kyrgyz.count(f">{text}<"), text
    # The place in its list, on the mediator's card, in the coverage table and beside the training.
    assert kyrgyz.count('<span lang="ru">Кара-Суу</span>') == 4

    russian = client.get(f"/ru/regions/{region.slug}/").content.decode()
    assert 'lang="ru"' not in russian.split("<main", 1)[1]
    assert ">Только по-русски</a>" in russian and ">Семинар по-русски <" in russian
