"""Script and attribute-breaking text in every translated field, in all three languages, comes out escaped on
every public and admin page that shows it. POSTs without a CSRF token fail."""

import pytest
from django.test import Client
from modeltranslation.translator import translator

from tests import factories

pytestmark = pytest.mark.django_db

# Short enough, with its "ky:" prefix, for the shortest translated field (Language.name, 60 characters).
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
RAW = ("<script>alert(1)", "<img src=x onerror", "\"'><img")


def _poison(obj):
    options = translator.get_options_for_model(type(obj))
    for field in options.get_field_names():
        for code in ("ky", "ru", "en"):
            setattr(obj, f"{field}_{code}", f"{code}:{PAYLOAD}")
    obj.save()
    return obj


@pytest.fixture
def poisoned(programme):
    place, other_place = factories.LocationFactory.create_batch(2)
    grant = factories.GrantFactory(
        program=programme, recipient__location=place, locations=[place, other_place],
        themes=factories.ThemeFactory.create_batch(2),
    )  # fmt: skip
    partners = list(programme.partners.all())
    for obj in (grant, grant.recipient, grant.region, grant.program, programme.funder, programme.implementer,
                *partners, *grant.locations.all(), *grant.themes.all(), *programme.components.all()):  # fmt: skip
        _poison(obj)
    update = _poison(factories.GrantUpdateFactory(grant=grant))
    mediator = _poison(factories.MediatorFactory(location=grant.locations.first(), public_consent=True))
    mediator.languages.set([_poison(factories.LanguageFactory(code="ky"))])
    mediator.specialisations.set([_poison(factories.SpecialisationFactory())])
    training = _poison(factories.TrainingFactory(location=grant.locations.first()))
    training.participants.set([mediator])
    return {"grant": grant, "mediator": mediator, "update": update, "training": training}


def _assert_escaped(response, where):
    text = response.content.decode()
    for raw in RAW:
        assert raw not in text, f"{raw!r} unescaped at {where}"


def test_public_pages_escape_every_translated_field(client, poisoned):
    grant, mediator = poisoned["grant"], poisoned["mediator"]
    for code in ("ky", "ru", "en"):
        pages = [
            "", "regions/", f"regions/{grant.region.slug}/", "initiatives/", f"initiatives/?q={PAYLOAD}",
            f"initiatives/{grant.slug}/", f"organizations/{grant.recipient.slug}/", "about/", "mediators/",
            f"mediators/{mediator.slug}/", "mediators/network/", "mediators/coverage/",
        ]  # fmt: skip
        for page in pages:
            response = client.get(f"/{code}/{page}")
            assert response.status_code == 200, page
            _assert_escaped(response, f"/{code}/{page}")
        # The payload is there, escaped: the page shows the text, not a script.
        assert "&lt;script&gt;alert(" in client.get(f"/{code}/initiatives/{grant.slug}/").content.decode()


def test_admin_pages_escape_every_translated_field(admin_client, poisoned):
    grant, mediator, training = poisoned["grant"], poisoned["mediator"], poisoned["training"]
    objects = {
        "grants/grant": grant, "grants/organization": grant.recipient, "grants/program": grant.program,
        "locations/region": grant.region, "locations/location": grant.locations.first(),
        "grants/theme": grant.themes.first(), "mediators/mediator": mediator, "mediators/training": training,
        "mediators/language": mediator.languages.first(), "mediators/specialisation": mediator.specialisations.first(),
    }  # fmt: skip
    for code in ("ky", "en"):
        for path, obj in objects.items():
            for suffix in ("", f"{obj.pk}/change/", f"{obj.pk}/history/"):
                response = admin_client.get(f"/{code}/admin/{path}/{suffix}")
                assert response.status_code == 200, (path, suffix)
                _assert_escaped(response, f"/{code}/admin/{path}/{suffix}")


def test_reports_page_escapes_too(admin_client, poisoned):
    _assert_escaped(admin_client.get("/en/reports/"), "/en/reports/")


def test_posts_without_a_csrf_token_fail(superuser):
    # Forged requests, as another site would send them: built by hand, without the token the pages carry.
    grant = factories.GrantFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    response = client.post(f"/en/admin/grants/grant/{grant.pk}/change/", {"title_en": "Changed without a token"})
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.title_en != "Changed without a token"
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/en/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
