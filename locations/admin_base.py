"""What every admin of the project shares, so that nothing English is left on the admin in Kyrgyz or Russian.

Django writes a few things in English whatever the language: the alt text of yes/no icons ("True"), and
the names of the tables behind many-to-many fields ("Grant-location relationship") on delete pages.
"""

from django.apps import apps
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin


def yes_no(field, description):
    """A list column like Django's boolean one, with the icon's text in the page's language."""

    def column(obj):
        icon, text = ("yes", _("Yes")) if getattr(obj, field) else ("no", _("No"))
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    column.short_description = description
    column.admin_order_field = field
    return column


def _link_table_labels():
    """The labels Django gives rows of automatic many-to-many tables on a delete page, in every model."""
    labels = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created:
            names = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
            labels |= {*names, *(capfirst(name) for name in names)}
    return labels


def _prune(items, labels):
    kept = []
    for item in items:
        if isinstance(item, list):
            nested = _prune(item, labels)
            if nested:
                kept.append(nested)
        elif not any(str(item).startswith(f"{label}:") for label in labels):
            kept.append(item)
    return kept


class TranslatedAdmin(TabbedTranslationAdmin):
    """Translation fields as tabs, and a delete page without Django's English table names."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Links between records go with them; listing them would only show untranslatable table names.
        labels = _link_table_labels()
        counts = {name: n for name, n in counts.items() if str(name) not in labels}
        return _prune(deleted, labels), counts, perms_needed, protected
