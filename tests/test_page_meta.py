"""Every public page has a translated title and description, hreflang alternates, landmarks and a skip link."""

import re

import pytest

from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db

PAGES = ["", "regions/", "regions/{region}/", "initiatives/", "initiatives/{grant}/", "organizations/{org}/",
         "about/", "mediators/"]  # fmt: skip
TITLES = {
    "regions/": {"ky": "Аймактар", "ru": "Регионы", "en": "Regions"},
    "initiatives/": {"ky": "Демилгелер", "ru": "Инициативы", "en": "Initiatives"},
    "about/": {"ky": "Программа жөнүндө", "ru": "О программе", "en": "About the programme"},
}


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_public_pages_have_title_description_alternates_and_landmarks(client, programme, language):
    grant = GrantFactory(
        program=programme,
        summary_ky="Жаштар менен айыл өкмөтүнүн ортосундагы диалог.",
        summary_ru="Диалог молодёжи с айыл окмоту.",
        summary_en="A dialogue between young people and the aiyl okmotu.",
    )
    for page in PAGES:
        path = f"/{language}/" + page.format(region=grant.region.slug, grant=grant.slug, org=grant.recipient.slug)
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title and title != "Intymak", path
        if page in TITLES:
            assert title.startswith(TITLES[page][language])
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert len(description) > 20, path
        if page == "initiatives/{grant}/":
            assert description == getattr(grant, f"summary_{language}")
        for code in ("ky", "ru", "en"):
            alternate = path.replace(f"/{language}/", f"/{code}/", 1)
            assert f'hreflang="{code}" href="http://127.0.0.1:8000{alternate}"' in html, (path, code)
        assert f'<html lang="{language}">' in html
        for landmark in ("<header", "<main", "<footer", "<nav"):
            assert landmark in html
        assert 'href="#main"' in html


def test_initiative_title_is_the_page_title(client, db):
    grant = GrantFactory(title_ru="Во имя единства")
    html = client.get(f"/ru/initiatives/{grant.slug}/").content.decode()
    assert "<title>Во имя единства · Intymak</title>" in html
