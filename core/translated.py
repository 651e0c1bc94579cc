"""Helpers for fields translated by django-modeltranslation (name_ky, name_ru, name_en, ...).

The pages and the exports share them, so that both show the same text for the same record.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def in_every_language(*fields):
    """The columns modeltranslation reads for these fields: each field's own and its name_ky, name_ru, name_en.

    For QuerySet.only(): a translated field loaded without all of them costs a query per row."""
    return [name for field in fields for name in (field, *(f"{field}_{code}" for code in language_codes()))]


def require_some_language(instance, field):
    """Staff write in the language they work in: one of the three is enough, none is not."""
    if not any((getattr(instance, f"{field}_{code}", "") or "").strip() for code in language_codes()):
        raise ValidationError(
            {f"{field}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}": _("Fill this in in at least one language.")}
        )


def translated_value(instance, field, language=None):
    """Return (text, language code) for the visitor's language, or the fallback the text actually comes from.

    The order is the visitor's language, then ky -> ru -> en, as modeltranslation falls back.
    """
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    order = [language] + [code for code in settings.MODELTRANSLATION_FALLBACK_LANGUAGES if code != language]
    for code in order:
        value = getattr(instance, f"{field}_{code}", None)
        if value:
            return value, code
    return "", language
