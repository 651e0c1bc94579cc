"""{% translated obj "field" as t %}: the text in the visitor's language, or in the fallback it comes from.

t.text is the text, t.lang its language code and t.is_fallback says whether it is not the page's language,
so a template can mark it with lang="…" and tell the visitor (includes/fallback_note.html).
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language

from locations.translated import translated_value

register = template.Library()


@dataclass(frozen=True)
class Translated:
    text: str
    lang: str
    is_fallback: bool

    def __str__(self):
        return self.text


@register.simple_tag
def translated(obj, field):
    language = get_language()
    text, lang = translated_value(obj, field, language)
    return Translated(text, lang, bool(text) and lang != language)
