from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_base import ArchiveAdmin, HistoryAdmin, TranslatedAdmin, yes_no

from .models import Language, Mediator, Specialisation, Training


@admin.register(Language)
class LanguageAdmin(TranslatedAdmin):
    list_display = ("name", "code")
    search_fields = ("name_ky", "name_ru", "name_en", "code")


@admin.register(Specialisation)
class SpecialisationAdmin(TranslatedAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Mediator)
class MediatorAdmin(ArchiveAdmin):
    region_path = "location__region"
    list_display = (
        "name",
        "location",
        "certification",
        "mentor",
        yes_no("public_consent", _("consents to a public listing")),
        yes_no("synthetic", _("synthetic")),
    )
    list_filter = (
        ("location__region", admin.RelatedOnlyFieldListFilter),
        ("location", admin.RelatedOnlyFieldListFilter),
        "languages",
        "specialisations",
        "certification",
        ("mentor", admin.RelatedOnlyFieldListFilter),
        "public_consent",
        "archived",
        "synthetic",
    )
    list_select_related = ("location", "mentor")
    search_fields = ("name_ky", "name_ru", "name_en", "slug")
    autocomplete_fields = ("location", "mentor")
    filter_horizontal = ("languages", "specialisations")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Training)
class TrainingAdmin(HistoryAdmin):
    region_path = "location__region"
    list_display = ("title", "kind", "date", "location", "participant_count", yes_no("synthetic", _("synthetic")))
    list_filter = ("kind", ("location__region", admin.RelatedOnlyFieldListFilter), "date", "synthetic")
    list_select_related = ("location",)
    search_fields = ("title_ky", "title_ru", "title_en")
    autocomplete_fields = ("location", "participants")
    date_hierarchy = "date"
