from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from core.admin_base import ArchiveAdmin, HistoryAdmin, TranslatedAdmin, TranslatorFieldsOnly, VersionedFields, yes_no

from .models import Grant, GrantUpdate, Organization, Program, ProgramComponent, Theme


class ProgramComponentInline(TranslatorFieldsOnly, TranslationTabularInline):
    model = ProgramComponent
    extra = 0


@admin.register(Program)
class ProgramAdmin(TranslatedAdmin):
    list_display = ("name", "start_date", "end_date", "funder", "implementer")
    list_select_related = ("funder", "implementer")
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    autocomplete_fields = ("funder", "implementer", "partners", "target_locations")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (ProgramComponentInline,)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and (programme := self.get_object(request, unquote(object_id))) is not None:
            self._warn_without_funder(request, programme)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._warn_without_funder(request, obj)

    @staticmethod
    def _warn_without_funder(request, programme):
        if programme.funder_id is None and programme.implementer_id is None:
            messages.warning(
                request,
                _(
                    "This programme names neither a funder nor an implementer: 360Giving files name the funder of "
                    "every grant, so its grants are left out of them."
                ),
            )


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    region_path = "location__region"
    list_display = (
        "name",
        "kind",
        "legal_form",
        "location",
        "region",
        "grant_count",
        yes_no("synthetic", _("synthetic")),
    )
    list_filter = ("kind", "legal_form", ("location__region", admin.RelatedOnlyFieldListFilter), "synthetic")
    list_select_related = ("location__region",)
    search_fields = ("name_ky", "name_ru", "name_en", "slug", "inn", "okpo", "org_identifier")
    autocomplete_fields = ("location",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "legal_form", "location")}),
        (_("Public contact"), {"fields": ("website", "email", "phone", "address")}),
        (_("Identifiers"), {"fields": ("inn", "okpo", "org_identifier")}),
        (None, {"fields": ("synthetic",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(grant_count=Count("grants"))

    @admin.display(description=_("region"), ordering="location__region__order")
    def region(self, obj):
        return obj.location.region if obj.location else "—"

    @admin.display(description=_("grants"), ordering="grant_count")
    def grant_count(self, obj):
        return obj.grant_count


@admin.register(Theme)
class ThemeAdmin(TranslatedAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class GrantUpdateInline(VersionedFields, TranslatorFieldsOnly, TranslationStackedInline):
    model = GrantUpdate
    extra = 0


@admin.register(Grant)
class GrantAdmin(ArchiveAdmin):
    region_path = "region"
    list_display = (
        "reference",
        "title",
        "recipient",
        "region",
        "kind",
        "status",
        "amount",
        "currency",
        yes_no("published", _("published")),
    )
    list_display_links = ("reference", "title")
    list_filter = ("region", "kind", "status", "program", "themes", "published", "archived", "synthetic")
    list_select_related = ("recipient", "region")
    search_fields = (
        "reference",
        "title_ky",
        "title_ru",
        "title_en",
        "recipient__name_ky",
        "recipient__name_ru",
        "recipient__name_en",
    )
    autocomplete_fields = ("program", "recipient", "region", "locations", "themes")
    prepopulated_fields = {"slug": ("title_en",)}
    date_hierarchy = "award_date"
    inlines = (GrantUpdateInline,)
    fieldsets = (
        (None, {"fields": ("program", "kind", "reference", "slug", "title", "recipient", "status", "published")}),
        (None, {"fields": ("archived",)}),
        (_("Where and what"), {"fields": ("region", "locations", "themes")}),
        (_("Text"), {"fields": ("summary", "description", "targets")}),
        (_("Money and dates"), {"fields": ("amount", "currency", "award_date", "start_date", "end_date")}),
        (None, {"fields": ("synthetic",)}),
    )
