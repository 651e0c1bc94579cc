from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

# Changes to these apps' data change what public pages show.
DATA_APPS = {"locations", "grants", "mediators"}


def _data_changed(sender, **kwargs):
    """Invalidate the page cache once the change is committed: once per transaction, however many rows."""
    if sender._meta.app_label not in DATA_APPS:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "intymak_pending_invalidation", None)
    # Still waiting for this transaction's commit (a rollback drops it from the list, and then we register anew).
    if pending and any(func is pending for _sids, func, _robust in connection.run_on_commit):
        return

    def invalidate_once():
        from .page_cache import invalidate

        connection.intymak_pending_invalidation = None
        invalidate()

    connection.intymak_pending_invalidation = invalidate_once
    transaction.on_commit(invalidate_once)


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
