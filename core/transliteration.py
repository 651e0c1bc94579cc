"""Kyrgyz and Russian in Latin letters, as people type them: for search, and for addresses (slugs).

"Ноокат" -> "nookat", "Өзгөн" -> "ozgon", "Жаштар" -> "jashtar": ң, ө, ү are written n, o, u, and ж is j, as in
Jalal-Abad and the programme's own Latin names.
"""

from django.utils.text import slugify

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TABLE = str.maketrans(CYRILLIC_TO_LATIN)


def transliterate(text):
    """The text in lower case, its Cyrillic letters in Latin ones; other letters as they were."""
    return (text or "").lower().translate(_TABLE)


def latin_slug(text, max_length=None):
    """A slug of Latin letters, digits and hyphens from text in any of the portal's languages ("" if nothing is
    left), cut at a hyphen to fit max_length if one is given."""
    slug = slugify(transliterate(text))
    if max_length is not None and len(slug) > max_length:
        slug = slug[:max_length]
        slug = slug.rsplit("-", 1)[0] if "-" in slug else slug
    return slug.strip("-_")


def unique_slug(queryset, slug, max_length):
    """slug, or slug-2, slug-3, ... : the first that no row of queryset has (one query)."""
    taken = set(queryset.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        number += 1
    return candidate
