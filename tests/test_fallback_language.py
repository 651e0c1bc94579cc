"""Text shown in a fallback language says so, in the visitor's language, and carries its own lang."""

import pytest

from tests.factories import GrantFactory

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
