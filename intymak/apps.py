from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntymakConfig(AppConfig):
    name = "intymak"
    verbose_name = _("Portal")
