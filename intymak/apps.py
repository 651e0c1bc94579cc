from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Changes to these apps' data change what public pages show.
DATA_APPS = {"locations", "grants", "mediators"}


def _data_changed(sender, **kwargs):
    from .page_cache import invalidate

    if sender._meta.app_label in DATA_APPS:
        invalidate()


class IntymakConfig(AppConfig):
    name = "intymak"
    verbose_name = _("Portal")

    def ready(self):
        from locations.signals import data_changed

        from .page_cache import invalidate

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_data_changed, dispatch_uid=f"intymak-page-cache-{signal}")
        data_changed.connect(invalidate, dispatch_uid="intymak-page-cache-bulk")
