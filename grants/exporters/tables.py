"""The datasets of the tabular exports: grants, totals by region and by theme, organisations.

Rows are read in batches (a few queries per thousand grants, whatever the number of grants), in the language
that is active when the rows are consumed.
"""

from django.conf import settings
from django.db.models import Count
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


def _names(through, grant_ids, target, language):
    """{grant id: "name, name"} for the grants' locations or themes, in the language asked for."""
    fields = [f"{target}__name_{code}" for code in CODES]
    names = {}
    for row in through.objects.filter(grant_id__in=grant_ids).order_by(f"{target}__name").values("grant_id", *fields):
        names.setdefault(row["grant_id"], []).append(_in_language(row, f"{target}__name", language))
    return {grant_id: ", ".join(values) for grant_id, values in names.items()}


GRANT_FIELDS = [
    "id", "reference", "slug", "kind", "status", "published", "amount", "currency", "award_date", "start_date",
    "end_date", "recipient__legal_form",
    *(f"{prefix}_{code}" for prefix in ("title", "targets", "recipient__name", "region__name") for code in CODES),
]  # fmt: skip


def grant_headers():
    return [
        _("Reference"), _("Title"), _("Kind"), _("Status"), _("Organisation"), _("Legal form"), _("Region"),
        _("Locations"), _("Themes"), _("Amount"), _("Currency"), _("Award date"), _("Start date"), _("End date"),
        _("Targets"), _("Public address"),
    ]  # fmt: skip


def grant_rows(grants):
    language = get_language()
    kinds, statuses = dict(Grant.Kind.choices), dict(Grant.Status.choices)
    legal_forms = dict(Organization.LegalForm.choices)
    batch = []

    def rows(batch):
        ids = [row["id"] for row in batch]
        locations = _names(Grant.locations.through, ids, "location", language)
        themes = _names(Grant.themes.through, ids, "theme", language)
        for row in batch:
            address = f"{settings.SITE_URL}/{language}/initiatives/{row['slug']}/" if row["published"] else ""
            yield [
                row["reference"],
                _in_language(row, "title", language),
                str(kinds.get(row["kind"], row["kind"])),
                str(statuses.get(row["status"], row["status"])),
                _in_language(row, "recipient__name", language),
                str(legal_forms.get(row["recipient__legal_form"], "")),
                _in_language(row, "region__name", language),
                locations.get(row["id"], ""),
                themes.get(row["id"], ""),
                row["amount"],
                row["currency"],
                row["award_date"],
                row["start_date"],
                row["end_date"],
                " / ".join(
                    line.strip() for line in _in_language(row, "targets", language).splitlines() if line.strip()
                ),
                address,
            ]

    for row in grants.values(*GRANT_FIELDS).iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield from rows(batch)
            batch = []
    yield from rows(batch)


def grants_table(grants):
    return Table(_("Grants"), grant_headers(), grant_rows(grants), widths=(14, 50, 22, 14, 36, 22, 20, 30, 30, 14, 9))


def _money_columns(totals):
    return [_("Amount, %(currency)s") % {"currency": currency} for currency in totals.currencies]


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
    rows = (
        [
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
        for row in organizations.iterator(chunk_size=BATCH)
    )
    headers = [_("Organisation"), _("Kind"), _("Legal form"), _("Location"), _("Region"), _("INN"), _("Website"),
               _("E-mail"), _("Initiatives")]  # fmt: skip
    return Table(_("Organisations"), headers, rows, (40, 24, 22, 20, 20, 16, 28, 28, 12))
