from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediatorsConfig(AppConfig):
    name = "mediators"
    verbose_name = _("Mediators and trainings")
