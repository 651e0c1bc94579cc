"""Search across Kyrgyz, Russian and English at once, whatever the script the visitor types in.

Every grant keeps `search_text`: its titles, summaries, organisation, region and places in all three languages,
folded to plain Latin ("Ноокат" -> "nookat", "Өзгөн" -> "ozgon"; "ң/ө/ү" and "н/о/у" fold alike). A query is
folded the same way, so "Nookat" finds "Ноокат" and "Баткен" finds "Batken".
On PostgreSQL, `search_vector` adds full-text search: the folded text and Kyrgyz under the `simple`
configuration with prefix matching (Kyrgyz has no stemmer), Russian and English under their own stemmers.
Elsewhere (SQLite) every folded query word must appear in the folded text.
"""

import re
import threading
import unicodedata
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce

from core.transliteration import transliterate

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8

# Latin spellings that name one sound several ways: Zhalal/Dzhalal/Jalal, Kh/H, Ü/U.
_LATIN_VARIANTS = ((re.compile(r"dzh|dj|zh"), "j"), (re.compile(r"kh"), "h"), (re.compile(r"iy\b"), "y"))
_WORD = re.compile(r"[a-z0-9]+")


def fold(text):
    """Lower-case Latin letters and digits only: the same for any script and spelling of a name."""
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for pattern, replacement in _LATIN_VARIANTS:
        text = pattern.sub(replacement, text)
    return " ".join(_WORD.findall(text))


def query_terms(query):
    """The folded words of what the visitor typed: bounded, and safe to put in a tsquery."""
    return fold((query or "")[:MAX_QUERY_LENGTH]).split()[:MAX_TERMS]


def grant_search_text(grant):
    """The folded text a grant is found by. Uses what with_public_related() prefetches."""
    parts = []
    for code in ("ky", "ru", "en"):
        for field in ("title", "summary"):
            parts.append(getattr(grant, f"{field}_{code}") or "")
        parts.append(getattr(grant.recipient, f"name_{code}") or "")
        parts.append(getattr(grant.region, f"name_{code}") or "")
        parts.extend(getattr(location, f"name_{code}") or "" for location in grant.locations.all())
        parts.extend(getattr(theme, f"name_{code}") or "" for theme in grant.themes.all())
    parts.append(grant.reference)
    return fold(" ".join(parts))


def search_vector():
    """The full-text vector of a grant's row, as an expression: for queryset.update(search_vector=...)."""

    def text(name):
        return Coalesce(F(name), Value(""), output_field=TextField())

    return (
        SearchVector(text("search_text"), text("title_ky"), text("summary_ky"), config="simple", weight="A")
        + SearchVector(text("title_ru"), text("summary_ru"), config="russian", weight="B")
        + SearchVector(text("title_en"), text("summary_en"), config="english", weight="B")
    )


def grants_reindex(grants):
    """Refresh search_text (and search_vector on PostgreSQL) for these grants, in a few queries."""
    from .models import Grant

    grants = list(grants)
    for grant in grants:
        grant.search_text = grant_search_text(grant)
    Grant.objects.bulk_update(grants, ["search_text"], batch_size=500)
    if connection.vendor == "postgresql":
        Grant.objects.filter(pk__in=[grant.pk for grant in grants]).update(search_vector=search_vector())


_deferred = threading.local()


def defer_reindex(grant_ids):
    """Inside `reindex_once()`: note these grants for its end and return True; elsewhere return False."""
    pending = getattr(_deferred, "grant_ids", None)
    if pending is None:
        return False
    pending.update(grant_ids)
    return True


@contextmanager
def reindex_once():
    """Reindex each grant touched in the block once, at its end, instead of at every save and link.

    For loaders that save many related records in a row (load_newsletter): a place saved after its grants would
    otherwise reindex them again. Nested blocks join the outermost. On an exception nothing is reindexed: the
    surrounding transaction rolls the changes back.
    """
    from .models import Grant

    if getattr(_deferred, "grant_ids", None) is not None:
        yield
        return
    _deferred.grant_ids = set()
    try:
        yield
        grant_ids = _deferred.grant_ids
    finally:
        _deferred.grant_ids = None
    if grant_ids:
        grants_reindex(Grant.objects.filter(pk__in=grant_ids).with_public_related())


def search(queryset, query):
    """Grants matching the query, best first on PostgreSQL; the queryset unchanged for an empty query."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor != "postgresql":
        for term in terms:
            queryset = queryset.filter(search_text__contains=term)
        return queryset
    raw = query[:MAX_QUERY_LENGTH].replace("\x00", " ")  # PostgreSQL refuses NUL in any string
    tsquery = (
        SearchQuery(" & ".join(f"{term}:*" for term in terms), config="simple", search_type="raw")
        | SearchQuery(raw, config="russian", search_type="plain")
        | SearchQuery(raw, config="english", search_type="plain")
    )
    return (
        queryset.filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "reference")
    )
