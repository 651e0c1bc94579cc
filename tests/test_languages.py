"""Every page lives under /ky/, /ru/ or /en/; "/" picks the browser's language, Kyrgyz by default."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("", "/ky/"), ("ru-RU,ru;q=0.9", "/ru/"), ("en-GB,en;q=0.8", "/en/"), ("de-DE,fr;q=0.7", "/ky/")],
)
def test_root_redirects_by_the_browser_language(client, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_admin_lives_under_a_language_prefix(client):
    response = client.get("/ky/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ky/admin/login/")


def test_language_switcher_keeps_the_page_and_its_query(client):
    grant = GrantFactory()
    with translation.override("ky"):
        url = reverse("grants:initiative", args=[grant.slug])
    html = client.get(url + "?page=1").content.decode()
    assert f'href="/ru/initiatives/{grant.slug}/?page=1"' in html
    assert f'href="/en/initiatives/{grant.slug}/?page=1"' in html
    assert 'aria-current="true" lang="ky">Кыргызча<' in html


def test_language_switcher_and_alternates_stay_under_the_portals_script_prefix(client):
    from django.test.utils import override_script_prefix

    # The same page at the root, then under /portal (a portal the web server mounts below a path), then at the root.
    for prefix in ("/", "/portal/", "/"):
        with override_script_prefix(prefix):
            html = client.get("/ky/regions/", SCRIPT_NAME=prefix.rstrip("/")).content.decode()
        for code in ("ru", "en"):
            assert f'<a class="nav-link" href="{prefix}{code}/regions/" hreflang="{code}"' in html
            assert f'hreflang="{code}" href="http://127.0.0.1:8000{prefix}{code}/regions/"' in html


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_page_declares_its_language_and_alternates(client, language):
    html = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}">' in html
    for code in ("ky", "ru", "en"):
        assert f'hreflang="{code}" href="http://127.0.0.1:8000/{code}/"' in html


def test_choice_labels_are_in_the_language_active_when_shown():
    from locations.models import Location
    from mediators.models import Mediator

    village = Location(kind=Location.Kind.VILLAGE)
    certified = Mediator(certification=Mediator.Certification.CERTIFIED)
    shown = []
    # Kyrgyz again at the end: the first language shown must not stick to the field.
    for code in ("ky", "ru", "en", "ky"):
        with translation.override(code):
            # Django's get_FOO_display() and the labels lists use (kind_label: Location.Kind(value).label) agree.
            shown.append((village.get_kind_display(), certified.get_certification_display()))
            shown.append((str(village.kind_label), str(certified.certification_label)))
    assert shown == [
        ("айыл", "сертификатталган"),
        ("айыл", "сертификатталган"),
        ("село", "сертифицирован"),
        ("село", "сертифицирован"),
        ("village", "certified"),
        ("village", "certified"),
        ("айыл", "сертификатталган"),
        ("айыл", "сертификатталган"),
    ]
    # A value that is not among the choices (an old row, say) is shown as it is.
    assert Location(kind="hamlet").get_kind_display() == "hamlet"
    assert Location(kind="hamlet").kind_label == "hamlet"
    assert Mediator(certification="lapsed").certification_label == "lapsed"
