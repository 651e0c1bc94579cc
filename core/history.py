"""The change history (django-simple-history) as staff read it: one row per save, and restores named as such.

simple_history writes a row when a record is saved and another each time its many-to-many links change, so one
save in the admin (the record, then its places and themes) used to leave two or three rows with the same version.
The admin saves the record's row as usual, then keeps the links' changes out of rows of their own and rewrites the
links that row holds once they are all saved (`record_links`).
"""

from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_field_name

RESTORE_PREFIX = "restore:"


def record_links(obj):
    """Give the record's latest history row its many-to-many links as they are now."""
    row = obj.history.order_by("-history_id").first()
    if row is None:
        return
    for field in obj._meta.many_to_many:
        links = getattr(row, field.name, None)
        if links is None or not hasattr(links, "model"):
            continue  # a link simple_history does not keep
        # The history's copy of a link is the link table's row, as simple_history itself copies it.
        through = field.remote_field.through
        columns = [column.name for column in through._meta.fields]
        links.all().delete()
        links.model.objects.bulk_create(
            links.model(history=row, **{name: getattr(link, name) for name in columns})
            for link in through.objects.filter(**{get_m2m_field_name(field): obj})
        )


def restore_reason(row):
    """The change reason written on a restore: the restored version and when it was saved (read by
    change_reason_text in the staff member's language)."""
    return f"{RESTORE_PREFIX}{row.version}:{localtime(row.history_date).isoformat()}"


def change_reason_text(reason):
    if not reason or not reason.startswith(RESTORE_PREFIX):
        return reason
    version, _sep, saved = reason.removeprefix(RESTORE_PREFIX).partition(":")
    from datetime import datetime

    try:
        when = date_format(localtime(datetime.fromisoformat(saved)), "Y-m-d H:i")
    except ValueError:
        when = saved
    return _("Restored version %(version)s, saved at %(time)s") % {"version": version, "time": when}
