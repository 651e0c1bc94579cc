"""A mediator who has not consented never appears anywhere public or in anything a donor can download."""

import re

import pytest
from django.contrib.auth.models import Group

from grants.exporters import FORMATS
from grants.models import Grant
from tests.factories import GrantFactory, LocationFactory, MediatorFactory, RegionFactory, TrainingFactory

pytestmark = pytest.mark.django_db

SECRETS = ("Zarylbekova-Qwertuiop", "Зарылбекова-Квертуиоп", "Зарылбекова-Квертүиөп", "+996 999 12 34 56",
           "zarylbekova@example.invalid", "Секретная улица 7")  # fmt: skip


@pytest.fixture
def unlisted(programme):
    """A mediator who has not consented, in a place of the programme's initiatives, beside listed colleagues."""
    north = RegionFactory(slug="north")
    place = LocationFactory(region=north, slug="ak-jol", name_en="Ak-Jol")
    for recipient in (place, LocationFactory(region=north), LocationFactory()):
        GrantFactory(program=programme, recipient__location=recipient)
    person = MediatorFactory(
        slug="zarylbekova-qwertuiop",
        name_en="Zarylbekova-Qwertuiop",
        name_ru="Зарылбекова-Квертуиоп",
        name_ky="Зарылбекова-Квертүиөп",
        biography_en="Zarylbekova-Qwertuiop works in Ak-Jol.",
        phone="+996 999 12 34 56",
        email="zarylbekova@example.invalid",
        address="Секретная улица 7",
        location=place,
        public_consent=False,
    )
    # Someone listed, whom the unlisted person mentors and trains with: the usual ways a name leaks.
    mentee = MediatorFactory(slug="listed-mentee", name_en="Listed Mentee", location=place, mentor=person)
    mentor_of_person = MediatorFactory(slug="listed-mentor", name_en="Listed Mentor", location=place)
    person.mentor = mentor_of_person
    person.save()
    TrainingFactory(location=place).participants.set([person, mentee])
    return person


def _public_addresses(client):
    addresses = set()
    index = client.get("/sitemap.xml").content.decode()
    for section in re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml[^<]*)</loc>", index):
        body = client.get(section.replace("&amp;", "&")).content.decode()
        addresses |= set(re.findall(r"<loc>http://testserver([^<]+)</loc>", body))
    for code in ("ky", "ru", "en"):
        for path in (
            "mediators/?region=north", "mediators/?location=ak-jol", "mediators/network/",
            "mediators/network/?region=north", "mediators/coverage/", "mediators/coverage/?region=north",
            "mediators/zarylbekova-qwertuiop/", "initiatives/?q=Zarylbekova", "initiatives/?q=Зарылбекова",
            "regions/north/", "nowhere/",
        ):  # fmt: skip
            addresses.add(f"/{code}/{path}")
    return addresses | {"/robots.txt", "/sitemap.xml", "/healthz"}


def _assert_no_secret(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shows at {where}"


def test_an_unlisted_mediator_is_nowhere_public(client, unlisted):
    addresses = _public_addresses(client)
    # Every page the sitemap lists: the listed mediators', every initiative's, region's and organisation's.
    assert "/en/mediators/listed-mentee/" in addresses
    assert {f"/ky/initiatives/{slug}/" for slug in Grant.objects.values_list("slug", flat=True)} <= addresses
    for address in sorted(addresses):
        response = client.get(address)
        assert response.status_code in (200, 404), address
        _assert_no_secret(response.content.decode(), address)
    # The listed mentee's page does not name the mentor who is not listed.
    assert "Listed Mentee" in client.get("/en/mediators/listed-mentee/").content.decode()


def test_an_unlisted_mediator_is_in_no_donor_export(client, unlisted, django_user_model):
    donor = django_user_model.objects.create_user("donor", password="a-long-test-password-42")
    donor.groups.add(Group.objects.get(name="Donors"))
    client.force_login(donor)
    for code in ("ky", "ru", "en"):
        _assert_no_secret(client.get(f"/{code}/reports/").content.decode(), "reports")
        for item in FORMATS.values():
            response = client.get(f"/{code}/reports/{item.filename}")
            # A format that can describe none of the grants (360Giving without amounts) answers with the reason.
            assert response.status_code == (404 if item.unavailable(Grant.objects.published()) else 200)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            _assert_no_secret(body.decode("latin-1"), item.filename)
            # Text in compressed files (XLSX, PDF) is checked by the formats' own tests; no mediator data goes in.
    assert client.get("/en/mediators/registry.csv").status_code == 302


def test_withdrawing_consent_removes_a_mediator_at_once(client, db, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600  # public pages are cached: withdrawal must reach past the cache
    with django_capture_on_commit_callbacks(execute=True):
        mediator = MediatorFactory(slug="consenting", name_en="Consenting Person", public_consent=True)
    assert "Consenting Person" in client.get("/en/mediators/").content.decode()
    assert client.get("/en/mediators/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        mediator.public_consent = False
        mediator.save()
    assert "Consenting Person" not in client.get("/en/mediators/").content.decode()
    assert client.get("/en/mediators/consenting/").status_code == 404
