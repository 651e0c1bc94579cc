"""The filters of a list, in its address: one django-filter FilterSet per list, shared by the page, its exports
and the API (Django REST framework's DjangoFilterBackend takes the same classes).

Each FilterSet's form (`Meta.form`, a FilterForm) is drawn by crispy-forms: a GET form that sends the filters in
the address, so a filtered list can be shared and works without JavaScript. Pages render it with
`templates/includes/filter_form.html`.
"""

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class FilterForm(forms.Form):
    """The form of a ListFilterSet. Subclasses say how it is named and how wide each field is."""

    # What the form is called for screen readers, e.g. "Filter mediators".
    aria_label = _("Filters")
    # Bootstrap column classes: every field's, and those of fields that need another width.
    column = "col-6 col-lg-3"
    columns = {}

    @cached_property
    def helper(self):
        helper = FormHelper(self)
        helper.form_method = "get"
        helper.form_id = "filters"
        # The form is the grid's row and each field's wrapper one of its columns: no Row/Column layout objects,
        # whose templates add to the drawing of every uncached page.
        helper.form_class = "filters row g-2 align-items-end"
        helper.wrapper_class = self.column
        helper.attrs = {"role": "search", "aria-label": self.aria_label}
        buttons = [StrictButton(_("Show"), type="submit", css_class="btn-primary")]
        if self.active:
            # "." is the list itself without the query: every list's address ends in a slash.
            clear = format_html('<a class="btn btn-outline-secondary" href=".">{}</a>', _("Clear filters"))
            buttons.append(HTML(clear))
        helper.layout = Layout(
            *(Field(name, wrapper_class=self.columns[name]) if name in self.columns else name for name in self.fields),
            Div(*buttons, css_class="col-12 d-flex gap-2 mb-3"),
        )
        return helper

    @property
    def active(self):
        """Whether the address sets any of the filters."""
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    @property
    def not_understood(self):
        """The labels of the filters whose values name nothing or cannot be read."""
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]

    def applied(self):
        """The filters in use, as (label, value) pairs, for the documents that say what they contain."""
        applied = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            choices = dict(getattr(self.fields[name], "choices", ())) if isinstance(value, str) else {}
            applied.append((str(self.fields[name].label), str(choices.get(value, value))))
        return applied


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose values must all be understood.

    django-filter leaves out a filter whose value it cannot read, which would show more than was asked for (every
    region's initiatives for a mistyped region). Here such a list is empty, and the form says which filter was not
    understood. The API's DjangoFilterBackend answers 400 with the same errors before it gets here.
    """

    class Meta:
        form = FilterForm

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)
