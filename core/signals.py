"""Signals that every app of the project may send."""

from django.dispatch import Signal

# Sent after bulk writes that bypass the models' own signals (queryset.update(), bulk_create()),
# so that whatever keeps derived data (e.g. the public page cache) knows the data changed.
data_changed = Signal()
