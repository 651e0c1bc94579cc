"""sitemap.xml lists every public page in each language; robots.txt points to it and keeps crawlers out."""

import re

import pytest

from grants.models import Grant
from tests.factories import MediatorFactory

pytestmark = pytest.mark.django_db


def _sitemap_locations(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = set()
    for section in re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml[^<]*)</loc>", index.content.decode()):
        body = client.get(section.replace("&amp;", "&")).content.decode()
        locations |= set(re.findall(r"<loc>http://testserver([^<]+)</loc>", body))
    return locations


def test_sitemap_lists_every_public_page_in_three_languages(client, newsletter):
    grant = Grant.objects.get(reference="LIP-CSO-21")
    hidden = Grant.objects.get(reference="LIP-CSO-22")
    hidden.published = False
    hidden.save()
    MediatorFactory(slug="listed-mediator", public_consent=True)
    MediatorFactory(slug="private-mediator", public_consent=False)
    locations = _sitemap_locations(client)
    for code in ("ky", "ru", "en"):
        for path in ("", "regions/", "initiatives/", "about/", "mediators/", "regions/batken/", "regions/osh-city/"):
            assert f"/{code}/{path}" in locations
        assert f"/{code}/initiatives/{grant.slug}/" in locations
        assert f"/{code}/organizations/{grant.recipient.slug}/" in locations
        assert f"/{code}/mediators/listed-mediator/" in locations
        assert f"/{code}/initiatives/{hidden.slug}/" not in locations
        assert f"/{code}/mediators/private-mediator/" not in locations
    assert len([loc for loc in locations if "/initiatives/" in loc and loc.count("/") == 4]) == 24 * 3


def test_sitemap_gives_hreflang_alternates(client, newsletter):
    body = client.get("/sitemap-regions.xml").content.decode()
    assert 'hreflang="ky" href="http://testserver/ky/regions/chui/"' in body
    assert 'hreflang="x-default"' in body


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /ky/admin/" in text and "Disallow: /en/reports/" in text


def test_healthz_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
