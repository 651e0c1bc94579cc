import threading

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Changes to these apps' data change what public pages show.
DATA_APPS = {"locations", "grants", "mediators"}


class _Invalidation:
    """The page cache's invalidation for the changes of one transaction.

    Every change registers it with transaction.on_commit: the first call at commit invalidates, the others find it
    done. A change in a transaction (or savepoint) that is rolled back loses its registration with it, and the next
    change registers anew, so a commit always invalidates, and once however many rows it wrote.
    """

    def __init__(self):
        self.done = False

    def __call__(self):
        from .page_cache import invalidate

        if not self.done:
            self.done = True
            invalidate()


# Per thread (Django's connections are per thread) and database alias: the invalidation still waiting for a commit.
_pending = threading.local()


def _data_changed(sender, using=None, **kwargs):
    if sender._meta.app_label not in DATA_APPS:
        return
    waiting = _pending.__dict__
    invalidation = waiting.get(using)
    if invalidation is None or invalidation.done:
        invalidation = waiting[using] = _Invalidation()
    transaction.on_commit(invalidation, using=using)


class IntymakConfig(AppConfig):
    name = "intymak"
    verbose_name = _("Portal")

    def ready(self):
        from core.signals import data_changed

        from .page_cache import invalidate

        # At commit, not before: otherwise another worker could cache the old data again before the change lands.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_data_changed, dispatch_uid=f"intymak-page-cache-{signal}")
        data_changed.connect(invalidate, dispatch_uid="intymak-page-cache-bulk")
