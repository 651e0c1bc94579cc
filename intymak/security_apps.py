"""The sign-in apps (django-axes, django-otp's TOTP) under names the admin can show in every language.

Both name themselves in English only ("Axes", "Otp_Totp", "TOTP devices"), which the admin's app list would show
as is on a Kyrgyz or Russian page. django-otp also labels and explains its fields in plain English strings, and
axes names its records with English f-strings, which the admin shows in titles, breadcrumbs and checkboxes.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils import formats
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


def _when(moment):
    return formats.date_format(localtime(moment), "DATETIME_FORMAT") if moment else "—"


def _attempt_text(attempt):
    return gettext("Sign-in attempts of %(username)s, the last at %(time)s") % {
        "username": attempt.username,
        "time": _when(attempt.attempt_time),
    }


def _log_text(entry):
    return gettext("Sign-in of %(username)s at %(time)s") % {
        "username": entry.username,
        "time": _when(entry.attempt_time),
    }


def _failure_text(failure):
    text = gettext("Failed sign-in of %(username)s at %(time)s from %(address)s")
    if failure.locked_out:
        text = gettext("Failed sign-in of %(username)s at %(time)s from %(address)s, locked out")
    return text % {"username": failure.username, "time": _when(failure.attempt_time), "address": failure.ip_address}


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")

    def ready(self):
        super().ready()
        # The records' names in the page's language, in place of axes' English f-strings.
        self.get_model("AccessAttempt").__str__ = _attempt_text
        self.get_model("AccessLog").__str__ = _log_text
        self.get_model("AccessFailureLog").__str__ = _failure_text


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        super().ready()
        # Only the displayed names: migrations read the model's original Meta, which stays as django-otp wrote it.
        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = _("authenticator app")
        meta.verbose_name_plural = _("authenticator apps")
        # django-otp's labels and help texts are plain English: looked up in the catalogues (locale/upstream) in
        # the page's language. Migrations compare them untranslated, which is the English they were.
        for field in meta.concrete_fields:
            field.verbose_name = _(str(field.verbose_name))  # noqa: INT001 - django-otp's own texts
            if field.help_text:
                field.help_text = _(str(field.help_text))  # noqa: INT001
