"""sitemap.xml lists every public page in each language; robots.txt points to it and keeps crawlers out."""

import re

import pytest

from tests.factories import GrantFactory, MediatorFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _sitemap_locations(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = set()
    for section in re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml[^<]*)</loc>", index.content.decode()):
        body = client.get(section.replace("&amp;", "&")).content.decode()
        locations |= set(re.findall(r"<loc>http://testserver([^<]+)</loc>", body))
    return locations


def test_sitemap_lists_every_public_page_in_three_languages(client, db):
    grant = GrantFactory()
    GrantFactory.create_batch(2)
    hidden = GrantFactory(published=False)
    archived = GrantFactory(archived=True)
    quiet = RegionFactory()  # a region without initiatives has its page too
    MediatorFactory(slug="listed-mediator", public_consent=True)
    MediatorFactory(slug="private-mediator", public_consent=False)
    locations = _sitemap_locations(client)
    for code in ("ky", "ru", "en"):
        for path in ("", "regions/", "initiatives/", "about/", "mediators/", f"regions/{grant.region.slug}/",
                     f"regions/{quiet.slug}/"):  # fmt: skip
            assert f"/{code}/{path}" in locations
        assert f"/{code}/initiatives/{grant.slug}/" in locations
        assert f"/{code}/organizations/{grant.recipient.slug}/" in locations
        assert f"/{code}/mediators/listed-mediator/" in locations
        assert f"/{code}/initiatives/{hidden.slug}/" not in locations
        assert f"/{code}/initiatives/{archived.slug}/" not in locations
        assert f"/{code}/mediators/private-mediator/" not in locations
    assert len([loc for loc in locations if "/initiatives/" in loc and loc.count("/") == 4]) == 3 * 3


def test_sitemap_gives_hreflang_alternates(client, db):
    region = RegionFactory()
    body = client.get("/sitemap-regions.xml").content.decode()
    assert f'hreflang="ky" href="http://testserver/ky/regions/{region.slug}/"' in body
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
