"""The admin in Kyrgyz (and Russian) leaves no English on the page: Django's gaps are filled by locale/."""

import html
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

from tests.test_admin_pages import FACTORY_FOR, MODELS

pytestmark = pytest.mark.django_db

# Latin words that are names, codes or standards, the same in every language.
ALLOWED = {
    "KGS", "USD", "EUR", "ISO", "IATI", "INN", "KG", "XM", "DAC", "org", "id", "guide", "Giving", "GeoJSON",
    "LDAP", "Single", "Sign", "On", "CTRL", "Ctrl", "Cmd", "Command", "Control", "Mac", "slug", "Intymak",
    "ky", "ru", "en",  # the language of each translation tab
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _visible_text(page):
    page = re.sub(r"<(script|style|svg|textarea)\b.*?</\1>", " ", page, flags=re.S)
    # A password's stored hash is shown masked: random letters, not words.
    page = re.sub(r"<bdi>[^<]*\*+</bdi>", " ", page)
    attributes = " ".join(re.findall(r'\s(?:title|placeholder|aria-label|alt)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def _words_of_the_data():
    """Every word stored in the database (slugs, user names, English names): data, not interface."""
    words = set()
    for model in apps.get_models():
        text_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            for value in row:
                words |= set(LATIN_WORD.findall(str(value or "")))
    return words


def _admin_urls(superuser):
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:auth_group_add")]
    urls += [reverse("admin:auth_user_changelist"), reverse("admin:auth_user_change", args=[superuser.pk])]
    for model in MODELS:
        obj = FACTORY_FOR[model]()
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        # Grants and mediators are archived, never deleted: they have no delete page.
        views = (
            ("change", "history")
            if model._meta.model_name in ("grant", "mediator")
            else ("change", "history", "delete")
        )
        urls += [reverse(f"{prefix}_{view}", args=[obj.pk]) for view in views]
    return urls


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_no_english_is_left_on_admin_pages(admin_client, superuser, language):
    with translation.override(language):
        urls = _admin_urls(superuser)
    allowed = ALLOWED | _words_of_the_data()
    english = {}
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        for word in set(LATIN_WORD.findall(_visible_text(response.content.decode()))) - allowed:
            english.setdefault(word, url)
    assert english == {}


def test_the_login_page_speaks_kyrgyz(client):
    text = _visible_text(client.get("/ky/admin/login/").content.decode())
    assert "Колдонуучу" in text and "Сырсөз" in text
    assert not set(LATIN_WORD.findall(text)) - ALLOWED
