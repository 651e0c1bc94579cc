"""The filters of the public directory of mediators. Their names are the address's parameters: keep them stable."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, ListFilterSet
from locations.models import Location, Region

from .models import Language, Mediator, Specialisation


class PlaceChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or str(obj)


class PlaceChoiceFilter(django_filters.ModelChoiceFilter):
    """A place by its name alone: the list of places is short, and the kind of place only makes it longer."""

    field_class = PlaceChoiceField


def listed_places(request=None):
    """Only places where someone is listed: the choice list stays short, and names no one unlisted. In the
    language of the request, by name (hence a function, called for each form, not a queryset made at import)."""
    return Location.objects.filter(mediators__in=Mediator.objects.public()).distinct().order_by("name")


class MediatorFilterForm(FilterForm):
    aria_label = _("Filter mediators")


class MediatorFilter(ListFilterSet):
    """Listed mediators (Mediator.objects.public(), by the caller) by region, place, language and specialisation."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="location__region", queryset=Region.objects.without_shapes(), to_field_name="slug"
    )
    location = PlaceChoiceFilter(label=_("Location"), queryset=listed_places, to_field_name="slug")
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), field_name="languages", queryset=Language.objects.all(), to_field_name="code"
    )
    specialisation = django_filters.ModelChoiceFilter(
        label=_("Specialisation"), field_name="specialisations", queryset=Specialisation.objects.all(),
        to_field_name="slug",
    )  # fmt: skip

    class Meta(ListFilterSet.Meta):
        model = Mediator
        fields = ()
        form = MediatorFilterForm
