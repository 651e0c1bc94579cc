"""The filters of the grants' lists: the public initiatives list (GrantFilter) and the donors' reports with their
downloads and `export_grants` (ReportFilter). Their names are the addresses' parameters: keep them stable."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.filters import FilterForm, ListFilterSet
from locations.models import Region

from .models import Grant, Program, Theme
from .search import MAX_QUERY_LENGTH, search


class SearchField(forms.CharField):
    widget = forms.SearchInput(attrs={"maxlength": MAX_QUERY_LENGTH})

    def to_python(self, value):
        # A very long query is cut rather than refused: the visitor still gets results.
        return " ".join(super().to_python(value).split())[:MAX_QUERY_LENGTH]


class SearchFilter(django_filters.CharFilter):
    """Search in all three languages and scripts at once (grants/search.py)."""

    field_class = SearchField

    def filter(self, qs, value):
        return search(qs, value)


class GrantFilters(ListFilterSet):
    """What every list of grants can be filtered by."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.without_shapes(), to_field_name="slug"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), field_name="themes", queryset=Theme.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Grant.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Grant.Status.choices)

    class Meta(ListFilterSet.Meta):
        model = Grant
        fields = ()


class GrantFilterForm(FilterForm):
    aria_label = _("Search and filter initiatives")
    field_order = ("q", "region", "theme", "kind", "status")
    column = "col-6 col-lg-2"
    columns = {"q": "col-12 col-lg-4"}


class GrantFilter(GrantFilters):
    """The public list of initiatives (and the API's list of grants): published grants only, by the caller."""

    q = SearchFilter(label=pgettext_lazy("public search field", "Search"))

    class Meta(GrantFilters.Meta):
        form = GrantFilterForm


class DateInput(forms.DateInput):
    """A date picker that keeps its value: browsers read only ISO dates (2022-01-31) in <input type="date">,
    whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ReportFilterForm(FilterForm):
    aria_label = _("Report filters")
    field_order = ("program", "region", "kind", "status", "theme", "award_from", "award_to")

    def clean(self):
        data = super().clean()
        if data.get("award_from") and data.get("award_to") and data["award_to"] < data["award_from"]:
            self.add_error("award_to", _("The end of the award-date range is before its start."))
        return data


class ReportFilter(GrantFilters):
    """The reports page, every download of it and `export_grants`. Which grants it starts from (published only,
    or unpublished too for staff; a regional coordinator's regions) is the caller's decision."""

    program = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Program.objects.all(), to_field_name="slug"
    )
    award_from = django_filters.DateFilter(
        label=_("Awarded from"), field_name="award_date", lookup_expr="gte", widget=DateInput
    )
    award_to = django_filters.DateFilter(
        label=_("Awarded until"), field_name="award_date", lookup_expr="lte", widget=DateInput
    )

    class Meta(GrantFilters.Meta):
        form = ReportFilterForm
