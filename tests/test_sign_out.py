"""The sign-out address answers a visit (GET) with a page in the visitor's language; its button (POST) signs out."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.forms import rendered_form, submit

pytestmark = pytest.mark.django_db

ASKS = {
    "ky": "Бул түзмөктө порталдан чыгасызбы?",
    "ru": "Выйти из портала на этом устройстве?",
    "en": "Sign out of the portal on this device?",
}
NOT_SIGNED_IN = {"ky": "Сиз кире элексиз.", "ru": "Вы не вошли на сайт.", "en": "You are not signed in."}


def _url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("language", ASKS)
def test_a_visit_asks_before_signing_out_and_the_button_signs_out(donor_client, language):
    url = _url("logout", language)
    response = donor_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in page
    assert ASKS[language] in page and "donor" in page
    # Opening the page signs no one out.
    assert donor_client.get(_url("grants:reports", language)).status_code == 200
    # The page's own form: a POST to the same address, with its CSRF token.
    assert "csrfmiddlewaretoken" in rendered_form(response)
    response = submit(donor_client, url, button=None)
    assert response.status_code == 302
    assert response["Location"] == _url("intymak:home", language)
    assert donor_client.get(_url("grants:reports", language)).status_code == 302  # sent to sign in again


@pytest.mark.parametrize("language", NOT_SIGNED_IN)
def test_a_visitor_who_is_not_signed_in_is_told_so(client, language):
    response = client.get(_url("logout", language))
    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_SIGNED_IN[language] in page
    assert f'href="{_url("login", language)}"' in page
