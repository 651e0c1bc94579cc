"""Donor reports: who may see them, which grants a set of filters selects, and the totals every format shows.

The reports page and every export (CSV, XLSX, PDF, IATI, 360Giving) take their grants from `report_grants()` and
their totals from `report_totals()`, so the figures agree across formats for the same filters.
Money is only ever summed within one currency.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

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
    grants: int = 0  # every selected grant of the region
    money: dict = field(default_factory=dict)  # currency -> Decimal, awarded grants only
    amounts: list = field(default_factory=list)  # the money in the order of ReportTotals.currencies


@dataclass
class StatusTotal:
    status: str
    label: str
    grants: int = 0
    money: dict = field(default_factory=dict)  # currency -> Decimal
    with_amount: int = 0  # grants whose amount and currency are known
    amounts: list = field(default_factory=list)  # the money in the order of ReportTotals.status_currencies
    awarded: bool = False  # counted in the money awarded

    @property
    def without_amount(self):
        return self.grants - self.with_amount


@dataclass
class ReportTotals:
    """Counts cover every selected grant; money "awarded" only the awarded ones (GrantQuerySet.awarded())."""

    grants: int
    awarded: int  # the awarded grants among them
    by_currency: dict  # awarded money: currency -> {"grants": n, "amount": Decimal}
    without_amount: int  # awarded grants whose amount or currency is not known
    by_region: list  # RegionTotal, in the regions' order, every region
    by_theme: list  # (theme, n)
    theme_money: dict  # theme pk -> {currency: Decimal}, awarded; a grant with two themes counts in both
    by_kind: list  # (label, n)
    by_status: list  # StatusTotal, in the order of Grant.Status, every status
    not_in_360giving: list  # (reason, n) for the grants the 360Giving file leaves out, reasons with none omitted

    @property
    def currencies(self):
        return sorted(self.by_currency)

    @property
    def with_amount(self):
        return self.awarded - self.without_amount

    @property
    def status_currencies(self):
        return sorted({currency for item in self.by_status for currency in item.money})

    @property
    def left_out_of_360giving(self):
        return sum(n for _reason, n in self.not_in_360giving)

    @property
    def in_360giving(self):
        return self.grants - self.left_out_of_360giving


def _with_money(grants):
    return grants.filter(amount__isnull=False).exclude(currency="")


def _funder_named():
    # 360Giving's funder is the programme's funder; without one, the organisation that runs the programme.
    return Q(program__funder__isnull=False) | Q(program__implementer__isnull=False)


def in_360giving(grants):
    """The grants a 360Giving file describes: awarded, with an amount, a currency and an award date, in a programme
    that names its funder. The others are left out, for the reasons of not_in_360giving()."""
    return _with_money(grants.awarded()).filter(_funder_named(), award_date__isnull=False)


def not_in_360giving(grants):
    """[(reason, grants)]: the grants the 360Giving file leaves out, each under the first reason that applies."""
    awarded = grants.awarded()
    with_money = _with_money(awarded)
    dated = with_money.filter(award_date__isnull=False)
    return [
        (_("not awarded (planned or cancelled)"), grants.exclude(pk__in=awarded.values("pk"))),
        (_("no amount or currency"), awarded.exclude(pk__in=with_money.values("pk"))),
        (_("no award date"), with_money.filter(award_date__isnull=True)),
        (_("the programme names no funder"), dated.exclude(_funder_named())),
    ]


def report_totals(grants):
    """Totals of the selected grants; sums are per currency and never across currencies, and money "awarded" is
    the money of awarded grants only (planned and cancelled grants have their own line in the money per status)."""
    grants = grants.order_by()
    awarded = grants.awarded()
    money = _with_money(awarded)
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
    statuses = {value: StatusTotal(value, label) for value, label in Grant.Status.choices}
    for status, n in grants.values_list("status").annotate(n=Count("pk")):
        statuses[status].grants = n
    # Which statuses count as awarded is GrantQuerySet.awarded()'s to say: asked of the grants, not repeated here.
    for status in awarded.values_list("status", flat=True).distinct():
        statuses[status].awarded = True
    for status, currency, n, total in (
        _with_money(grants).values_list("status", "currency").annotate(n=Count("pk"), total=Sum("amount"))
    ):
        statuses[status].money[currency] = total
        statuses[status].with_amount += n
    by_status = list(statuses.values())
    status_currencies = sorted({currency for item in by_status for currency in item.money})
    for item in by_status:
        item.amounts = [item.money.get(currency) for currency in status_currencies]
    currencies = sorted(by_currency)
    for item in regions.values():
        item.amounts = [item.money.get(currency) for currency in currencies]
    awarded_count = sum(item.grants for item in by_status if item.awarded)
    return ReportTotals(
        grants=sum(item.grants for item in by_status),
        awarded=awarded_count,
        by_currency=by_currency,
        without_amount=awarded_count - sum(item["grants"] for item in by_currency.values()),
        by_region=list(regions.values()),
        by_theme=[(theme, theme_counts.get(theme.pk, 0)) for theme in Theme.objects.all()],
        theme_money=theme_money,
        by_kind=[(label, kinds.get(value, 0)) for value, label in Grant.Kind.choices],
        by_status=by_status,
        not_in_360giving=[(reason, n) for reason, left_out in not_in_360giving(grants) if (n := left_out.count())],
    )
