"""The sign-in apps (django-axes, django-otp's TOTP) under names the admin can show in every language.

Both name themselves in English only ("Axes", "Otp_Totp", "TOTP devices"), which the admin's app list would show
as is on a Kyrgyz or Russian page.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        super().ready()
        # Only the displayed names: migrations read the model's original Meta, which stays as django-otp wrote it.
        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = _("authenticator app")
        meta.verbose_name_plural = _("authenticator apps")
