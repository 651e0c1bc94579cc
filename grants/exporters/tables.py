"""The datasets of the tabular exports: grants, totals by region and by theme, organisations.

The grants are one query (on PostgreSQL the locations and themes too), read in chunks from a server-side cursor, in
the language that is active when the rows are consumed. Translated text falls back in SQL as _in_language does.
"""

import contextlib
import itertools

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import Grant, Organization
from .base import Table

BATCH = 1000
CODES = [code for code, _name in settings.LANGUAGES]


def _in_language(row, prefix, language):
    """A translated value from a values() row: the language asked for, else ky -> ru -> en."""
    for code in [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
        value = row.get(f"{prefix}_{code}")
        if value:
            return value
    return ""


def translated(path, language):
    """_in_language in SQL: the first non-empty of `path`_<language>, then ky, ru, en; "" when all are empty."""
    codes = dict.fromkeys([language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES])
    return Coalesce(*(NullIf(F(f"{path}_{code}"), Value("")) for code in codes), Value(""), output_field=TextField())


def aggregates_in_sql(connection):
    """Whether the database joins a grant's locations and themes itself (PostgreSQL's string_agg ... ORDER BY)."""
    return connection.vendor == "postgresql"


# A grant's locations and themes are listed in the order of the name shown (in the export's language, with the
# fallbacks), then of their id, comparing text code point by code point: COLLATE "C" on PostgreSQL, Python's own
# order elsewhere; the same order whatever the database's collation.


def _names_subquery(through, target, language):
    """A grant's locations or themes, ", "-joined: a correlated subquery on the through table (PostgreSQL)."""
    from django.contrib.postgres.aggregates import StringAgg

    order = (Collate(translated(f"{target}__name", language), "C"), F(f"{target}_id"))
    names = StringAgg(translated(f"{target}__name", language), ", ", order_by=order)
    subquery = through.objects.filter(grant_id=OuterRef("pk")).order_by().values("grant_id").annotate(names=names)
    return Coalesce(Subquery(subquery.values("names")), Value(""), output_field=TextField())


def _names(through, grant_ids, target, language):
    """{grant id: "name, name"} for the grants' locations or themes, in the language asked for (any database)."""
    rows = (
        through.objects.filter(grant_id__in=grant_ids)
        .annotate(shown=translated(f"{target}__name", language))
        .values_list("grant_id", "shown", f"{target}_id")
    )
    names = {}
    for grant_id, name, _target_id in sorted(rows):
        names.setdefault(grant_id, []).append(name)
    return {grant_id: ", ".join(values) for grant_id, values in names.items()}


def streamed(queryset, chunk_size=BATCH):
    """The rows of queryset.iterator(), read in a transaction of their own: PostgreSQL sends them as they are found.

    Django reads .iterator() from a server-side cursor; outside a transaction that cursor is declared WITH HOLD,
    and PostgreSQL computes every row before the first is sent. JIT compilation costs more than it saves on these
    queries (seconds before the first row): it is off for the transaction. The cursor is closed before the
    transaction ends, also when the reader stops early (a download cut short).
    """
    using = queryset.db
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield from queryset.iterator(chunk_size=chunk_size)  # closing this generator closes the iterator first


GRANT_FIELDS = ["id", "reference", "slug", "kind", "status", "published", "amount", "currency", "award_date",
                "start_date", "end_date", "recipient__legal_form"]  # fmt: skip


def grant_headers():
    return [
        _("Reference"), _("Title"), _("Kind"), _("Status"), _("Organisation"), _("Legal form"), _("Region"),
        _("Locations"), _("Themes"), _("Amount"), _("Currency"), _("Award date"), _("Start date"), _("End date"),
        _("Targets"), _("Public address"),
    ]  # fmt: skip


def _labels(choices):
    return {value: str(label) for value, label in choices}


def grant_rows(grants):
    """One list per grant: the columns of grant_headers(), text in the active language, amounts and dates typed."""
    language = get_language()
    kinds, statuses = _labels(Grant.Kind.choices), _labels(Grant.Status.choices)
    legal_forms = _labels(Organization.LegalForm.choices)
    prefix = f"{settings.SITE_URL}/{language}/initiatives/"
    in_sql = aggregates_in_sql(connections[grants.db])
    annotations = {
        "x_title": translated("title", language),
        "x_recipient": translated("recipient__name", language),
        "x_region": translated("region__name", language),
        "x_targets": translated("targets", language),
    }
    if in_sql:
        annotations["x_locations"] = _names_subquery(Grant.locations.through, "location", language)
        annotations["x_themes"] = _names_subquery(Grant.themes.through, "theme", language)
    # rewrite(False): the fallbacks are in the SQL, modeltranslation's per-row fallback is not needed.
    if hasattr(grants, "rewrite"):
        grants = grants.rewrite(False)
    rows = grants.annotate(**annotations).values_list(*GRANT_FIELDS, *annotations)

    def row(values, locations, themes):
        (_id, reference, slug, kind, status, published, amount, currency, award, start, end, legal_form, title,
         recipient, region, targets) = values[:16]  # fmt: skip
        return [
            reference, title, kinds.get(kind, kind), statuses.get(status, status), recipient,
            legal_forms.get(legal_form, ""), region, locations, themes, amount, currency, award, start, end,
            " / ".join(line.strip() for line in targets.splitlines() if line.strip()) if targets else "",
            f"{prefix}{slug}/" if published else "",
        ]  # fmt: skip

    with contextlib.closing(streamed(rows)) as iterator:
        if in_sql:
            for values in iterator:
                yield row(values, values[16], values[17])
            return
        while batch := list(itertools.islice(iterator, BATCH)):
            ids = [values[0] for values in batch]
            locations = _names(Grant.locations.through, ids, "location", language)
            themes = _names(Grant.themes.through, ids, "theme", language)
            for values in batch:
                yield row(values, locations.get(values[0], ""), themes.get(values[0], ""))


def grants_table(grants):
    return Table(_("Grants"), grant_headers(), grant_rows(grants), widths=(14, 50, 22, 14, 36, 22, 20, 30, 30, 14, 9))


def _money_columns(totals):
    return [_("Awarded, %(currency)s") % {"currency": currency} for currency in totals.currencies]


def regions_table(totals):
    rows = (
        [str(item.region), item.grants, *(item.money.get(currency) for currency in totals.currencies)]
        for item in totals.by_region
    )
    return Table(_("Totals by region"), [_("Region"), _("Initiatives"), *_money_columns(totals)], rows, (28, 12))


def themes_table(totals):
    rows = (
        [str(theme), count, *(totals.theme_money.get(theme.pk, {}).get(currency) for currency in totals.currencies)]
        for theme, count in totals.by_theme
    )
    return Table(_("Totals by theme"), [_("Theme"), _("Initiatives"), *_money_columns(totals)], rows, (32, 12))


def organizations_table(grants):
    language = get_language()
    legal_forms = dict(Organization.LegalForm.choices)
    kinds = dict(Organization.Kind.choices)
    fields = ["id", "slug", "kind", "legal_form", "inn", "website", "email", *(f"name_{code}" for code in CODES),
              *(f"location__name_{code}" for code in CODES),
              *(f"location__region__name_{code}" for code in CODES)]  # fmt: skip
    counts = dict(grants.order_by().values_list("recipient").annotate(n=Count("pk")))
    organizations = Organization.objects.filter(pk__in=counts).order_by("name", "pk").values(*fields)

    def rows():
        with contextlib.closing(streamed(organizations)) as found:
            for row in found:
                yield [
                    _in_language(row, "name", language),
                    str(kinds.get(row["kind"], "")),
                    str(legal_forms.get(row["legal_form"], "")),
                    _in_language(row, "location__name", language),
                    _in_language(row, "location__region__name", language),
                    row["inn"],
                    row["website"],
                    row["email"],
                    counts[row["id"]],
                ]

    headers = [_("Organisation"), _("Kind"), _("Legal form"), _("Location"), _("Region"), _("INN"), _("Website"),
               _("E-mail"), _("Initiatives")]  # fmt: skip
    return Table(_("Organisations"), headers, rows(), (40, 24, 22, 20, 20, 16, 28, 28, 12))
