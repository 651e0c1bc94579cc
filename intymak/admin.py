from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from core.admin_base import yes_no
from locations.models import RegionCoordinator

admin.site.site_header = gettext_lazy("Intymak administration")
admin.site.site_title = gettext_lazy("Intymak")
admin.site.index_title = gettext_lazy("Programme data")

PERMISSION_ACTIONS = {
    "add": gettext_lazy("Can add: %(model)s"),
    "change": gettext_lazy("Can change: %(model)s"),
    "delete": gettext_lazy("Can delete: %(model)s"),
    "view": gettext_lazy("Can view: %(model)s"),
}


def permission_label(permission):
    """Django stores permission names in English ("Can add grant"); say them in the page's language."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    app = model._meta.app_config.verbose_name
    return f"{capfirst(app)} | {PERMISSION_ACTIONS[action] % {'model': model._meta.verbose_name}}"


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
            field.queryset = field.queryset.select_related("content_type")
        return field


class RegionCoordinatorInline(admin.TabularInline):
    model = RegionCoordinator
    extra = 0
    autocomplete_fields = ("region",)
    verbose_name = gettext_lazy("region coordinated (regional coordinators)")
    verbose_name_plural = gettext_lazy("regions coordinated (regional coordinators)")


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class IntymakGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass


@admin.register(User)
class IntymakUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    inlines = (RegionCoordinatorInline,)
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        yes_no("is_staff", gettext_lazy("staff status")),
        yes_no("is_active", gettext_lazy("active")),
    )
