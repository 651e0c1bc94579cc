from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Location, Region


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    list_display = ("name", "kind", "coate", "iso_code", "order", "location_count", "has_boundary")
    list_editable = ("order",)
    list_filter = ("kind",)
    search_fields = ("name_ky", "name_ru", "name_en", "slug", "coate", "iso_code")
    prepopulated_fields = {"slug": ("name_en",)}
    exclude = ("boundary",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(location_count=Count("locations"))

    @admin.display(description=_("locations"), ordering="location_count")
    def location_count(self, obj):
        return obj.location_count

    @admin.display(description=_("boundary loaded"), boolean=True)
    def has_boundary(self, obj):
        return obj.boundary is not None


@admin.register(Location)
class LocationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "kind", "region", "parent", "synthetic")
    list_filter = ("region", "kind", "synthetic")
    list_select_related = ("region", "parent")
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    autocomplete_fields = ("region", "parent")
    prepopulated_fields = {"slug": ("name_en",)}
