from django.contrib import admin
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from core.admin_base import HistoryAdmin, TranslatedAdmin, yes_no

from .models import Location, Region


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    region_path = "pk"
    list_display = (
        "name",
        "kind",
        "coate",
        "iso_code",
        "order",
        "location_count",
        yes_no("has_boundary", _("boundary loaded")),
    )
    list_editable = ("order",)
    list_filter = ("kind",)
    search_fields = ("name_ky", "name_ru", "name_en", "slug", "coate", "iso_code")
    prepopulated_fields = {"slug": ("name_en",)}
    exclude = ("boundary",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("boundary")
            .annotate(
                location_count=Count("locations"),
                has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()),
            )
        )

    @admin.display(description=_("locations"), ordering="location_count")
    def location_count(self, obj):
        return obj.location_count


@admin.register(Location)
class LocationAdmin(HistoryAdmin):
    region_path = "region"
    list_display = ("name", "kind", "region", "parent", yes_no("synthetic", _("synthetic")))
    list_filter = ("region", "kind", "synthetic")
    list_select_related = ("region", "parent")
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    autocomplete_fields = ("region", "parent")
    prepopulated_fields = {"slug": ("name_en",)}
