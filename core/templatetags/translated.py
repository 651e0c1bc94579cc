"""Translated fields in templates: the text in the visitor's language, or in the fallback it comes from.

{% translated obj "field" as t %}: t.text is the text, t.lang its language code and t.is_fallback says whether it
is not the page's language, so a template can mark it with lang="…" and tell the visitor
(includes/fallback_note.html). For a page's own headings and texts.

{{ obj|in_language:"field" }}: the same text, inside <span lang="…"> when it falls back. For names and titles in
lists, where a mark is all a fallback needs: one filter instead of a tag, a condition and two variables per item
(a region page shows some 70).

{% if description|same_text:summary %}: whether two texts say the same, spacing aside (a description that only
repeats the summary is printed once).
"""

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from core.translated import translated_value

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


@register.filter
def in_language(obj, field):
    language = get_language()
    text, lang = translated_value(obj, field, language)
    if text and lang != language:
        return format_html('<span lang="{}">{}</span>', lang, text)
    return text


@register.filter
def same_text(first, second):
    return " ".join(str(first).split()) == " ".join(str(second).split())
