from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalChanges

from core.admin_base import InPageLanguage, yes_no
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


def _history_content_types():
    """The change histories' own tables: their permissions grant nothing here (a record's history is read and
    restored under the record's own permissions), and their names are simple_history's English."""
    models = [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]
    return ContentType.objects.get_for_models(*models, for_concrete_models=False).values()


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
            field.queryset = field.queryset.select_related("content_type").exclude(
                content_type__in=_history_content_types()
            )
        return field


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning to the help text as untranslated English.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        gettext_lazy("If disabled, the current password for this user will be lost."),
    )


class RegionCoordinatorInline(admin.TabularInline):
    model = RegionCoordinator
    extra = 0
    autocomplete_fields = ("region",)
    verbose_name = gettext_lazy("region coordinated (regional coordinators)")
    verbose_name_plural = gettext_lazy("regions coordinated (regional coordinators)")


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class IntymakGroupAdmin(TranslatedPermissionsMixin, InPageLanguage, GroupAdmin):
    pass


@admin.register(User)
class IntymakUserAdmin(TranslatedPermissionsMixin, InPageLanguage, UserAdmin):
    inlines = (RegionCoordinatorInline,)
    change_password_form = PasswordChangeForm
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        yes_no("is_staff", gettext_lazy("staff status")),
        yes_no("is_active", gettext_lazy("active")),
    )


# The sign-in apps' admins, in the page's language (their models' names: intymak/security_apps.py).
for model in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice):
    admin.site.unregister(model)


@admin.register(AccessAttempt)
class SignInAttemptAdmin(InPageLanguage, AccessAttemptAdmin):
    @admin.display(description=gettext_lazy("status"))
    def status(self, obj):
        return super().status(obj)


@admin.register(AccessLog)
class SignInLogAdmin(InPageLanguage, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class SignInFailureAdmin(InPageLanguage, AccessFailureLogAdmin):
    list_display = (
        *(name for name in AccessFailureLogAdmin.list_display if name != "locked_out"),
        yes_no("locked_out", AccessFailureLog._meta.get_field("locked_out").verbose_name),
    )


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(InPageLanguage, TOTPDeviceAdmin):
    search_help_text = gettext_lazy("Search by the user's user name or e-mail address.")
    FIELDSET_NAMES = {
        "Identity": gettext_lazy("Whose app"),
        "Timestamps": gettext_lazy("When"),
        "Configuration": gettext_lazy("Codes"),
        "State": gettext_lazy("Clock"),
        "Throttling": gettext_lazy("Wrong codes"),
    }

    def get_list_display(self, request):
        confirmed = yes_no("confirmed", TOTPDevice._meta.get_field("confirmed").verbose_name)
        return [confirmed if name == "confirmed" else name for name in super().get_list_display(request)]

    def get_fieldsets(self, request, obj=None):
        return [(self.FIELDSET_NAMES.get(name, name), options) for name, options in super().get_fieldsets(request, obj)]

    @admin.display(description=gettext_lazy("QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, gettext_lazy("QR code"))
