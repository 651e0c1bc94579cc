"""Donor reports: who may see them, which grants a set of filters selects, and the totals every format shows.

The reports page and every export (CSV, XLSX, PDF, IATI, 360Giving) take their grants from `report_grants()` and
their totals from `report_totals()`, so the figures agree across formats for the same filters.
Money is only ever summed within one currency.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from locations.models import Region

from .filters import ReportFilter
from .models import Grant, Theme

REPORTS_PERMISSION = "grants.view_reports"


def can_see_reports(user):
    return user.is_active and (user.is_staff or user.has_perm(REPORTS_PERMISSION))


def report_grants(data, include_unpublished=False, region_ids=None):
    """(grants, form): the grants the filters (ReportFilter, from the address) select, and the filters' form.
    Filters that cannot be read raise InvalidFilters.

    Unpublished grants are for staff only: include_unpublished is the caller's decision; region_ids limits the
    grants to those regions (a regional coordinator's).
    """
    # Archived grants are out of every report; unpublished ones only for staff.
    grants = Grant.objects.filter(archived=False) if include_unpublished else Grant.objects.published()
    if region_ids is not None:
        grants = grants.filter(region__in=region_ids)
    filters = ReportFilter(data, queryset=grants)
    if not filters.is_valid():
        raise InvalidFilters(filters.form)
    return filters.qs.order_by("reference"), filters.form


class InvalidFilters(ValueError):
    def __init__(self, form):
        self.form = form
        messages = [f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
                    for name, errors in form.errors.items()]  # fmt: skip
        super().__init__("; ".join(messages))


@dataclass
class RegionTotal:
    region: Region
    grants: int = 0
    money: dict = field(default_factory=dict)  # currency -> Decimal
    amounts: list = field(default_factory=list)  # the money in the order of ReportTotals.currencies


@dataclass
class ReportTotals:
    grants: int
    by_currency: dict  # currency -> {"grants": n, "amount": Decimal}
    without_amount: int
    by_region: list  # RegionTotal, in the regions' order, every region
    by_theme: list  # (theme, n)
    theme_money: dict  # theme pk -> {currency: Decimal}; a grant with two themes counts in both
    by_kind: list  # (label, n)
    by_status: list  # (label, n)
    not_in_360giving: int  # grants 360Giving cannot describe: no amount, currency or award date

    @property
    def currencies(self):
        return sorted(self.by_currency)


def in_360giving(grants):
    """The grants 360Giving can describe: amount, currency and award date known. The others are left out of
    the 360Giving file, and the reports page says how many."""
    return grants.filter(amount__isnull=False, award_date__isnull=False).exclude(currency="")


def report_totals(grants):
    """Totals of the selected grants; sums are per currency and never across currencies."""
    grants = grants.order_by()
    money = grants.filter(amount__isnull=False).exclude(currency="")
    by_currency = {
        row["currency"]: {"grants": row["n"], "amount": row["total"] or Decimal(0)}
        for row in money.values("currency").annotate(n=Count("pk"), total=Sum("amount")).order_by("currency")
    }
    regions = {region.pk: RegionTotal(region) for region in Region.objects.without_shapes()}
    for row in grants.values("region").annotate(n=Count("pk")):
        regions[row["region"]].grants = row["n"]
    for row in money.values("region", "currency").annotate(total=Sum("amount")).order_by("currency"):
        regions[row["region"]].money[row["currency"]] = row["total"]
    theme_counts = dict(
        grants.filter(themes__isnull=False).values_list("themes").annotate(n=Count("pk", distinct=True))
    )
    theme_money = {}
    for theme, currency, total in (
        money.filter(themes__isnull=False).values_list("themes", "currency").annotate(total=Sum("amount"))
    ):
        theme_money.setdefault(theme, {})[currency] = total
    kinds = dict(grants.values_list("kind").annotate(n=Count("pk")))
    statuses = dict(grants.values_list("status").annotate(n=Count("pk")))
    total = grants.count()
    currencies = sorted(by_currency)
    for item in regions.values():
        item.amounts = [item.money.get(currency) for currency in currencies]
    return ReportTotals(
        grants=total,
        by_currency=by_currency,
        without_amount=total - sum(item["grants"] for item in by_currency.values()),
        by_region=list(regions.values()),
        by_theme=[(theme, theme_counts.get(theme.pk, 0)) for theme in Theme.objects.all()],
        theme_money=theme_money,
        by_kind=[(label, kinds.get(value, 0)) for value, label in Grant.Kind.choices],
        by_status=[(label, statuses.get(value, 0)) for value, label in Grant.Status.choices],
        not_in_360giving=grants.filter(Q(amount__isnull=True) | Q(currency="") | Q(award_date__isnull=True)).count(),
    )
