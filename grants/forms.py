from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from locations.models import Region

from .models import Grant, Theme
from .search import MAX_QUERY_LENGTH, search


class SlugChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class InitiativeFilterForm(forms.Form):
    """The public list's filters. They live in the address, so a filtered list can be shared."""

    # The admin's "Search" is a button (Russian: "Найти"); this is the field's name (Russian: "Поиск").
    q = forms.CharField(label=pgettext_lazy("public search field", "Search"), required=False)
    region = SlugChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    theme = SlugChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", required=False, empty_label=_("All")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *Grant.Kind.choices]
        self.fields["status"].choices = [("", _("All")), *Grant.Status.choices]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"
        self.fields["q"].widget.attrs.update({"type": "search", "maxlength": MAX_QUERY_LENGTH})

    def clean_q(self):
        # A very long query is cut rather than refused: the visitor still gets results.
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY_LENGTH]

    def filter(self, grants):
        """The grants matching valid filters; none at all when a filter names something that does not exist."""
        if not self.is_valid():
            return grants.none()
        data = self.cleaned_data
        if data["region"]:
            grants = grants.in_region(data["region"])
        if data["theme"]:
            grants = grants.filter(themes=data["theme"])
        if data["kind"]:
            grants = grants.filter(kind=data["kind"])
        if data["status"]:
            grants = grants.filter(status=data["status"])
        return search(grants, data["q"])

    @property
    def active(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)
