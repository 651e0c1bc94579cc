from django import forms
from django.utils.translation import gettext_lazy as _

from locations.models import Location, Region

from .models import Language, Mediator, Specialisation


class _Choice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or str(obj)


class MediatorFilterForm(forms.Form):
    """The public directory's filters, in the address. An unknown value gives an empty list, not an error."""

    region = _Choice(label=_("Region"), queryset=Region.objects.without_shapes(), to_field_name="slug",
                     required=False, empty_label=_("All"))  # fmt: skip
    location = _Choice(label=_("Location"), queryset=Location.objects.none(), to_field_name="slug", required=False,
                       empty_label=_("All"))  # fmt: skip
    language = _Choice(label=_("Language"), queryset=Language.objects.all(), to_field_name="code", required=False,
                       empty_label=_("All"))  # fmt: skip
    specialisation = _Choice(label=_("Specialisation"), queryset=Specialisation.objects.all(), to_field_name="slug",
                             required=False, empty_label=_("All"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only places where someone is listed: the choice list stays short, and names no one unlisted.
        self.fields["location"].queryset = (
            Location.objects.filter(mediators__in=Mediator.objects.public()).distinct().order_by("name")
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter(self, mediators):
        if not self.is_valid():
            return mediators.none()
        data = self.cleaned_data
        if data["region"]:
            mediators = mediators.in_region(data["region"])
        if data["location"]:
            mediators = mediators.filter(location=data["location"])
        if data["language"]:
            mediators = mediators.filter(languages=data["language"])
        if data["specialisation"]:
            mediators = mediators.filter(specialisations=data["specialisation"])
        return mediators.distinct()

    @property
    def active(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)
