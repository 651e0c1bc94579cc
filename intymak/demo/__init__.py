"""Synthetic demo data at any size, for benchmarks and load tests (`manage.py generate_demo_data`).

Everything made here is marked three ways: `synthetic=True` on every record that has the flag, "[Demo]"/"[Демо]"
in front of every name and title, and grants of their own programme (`synthetic-demo-programme`) with references
DEMO-000001, DEMO-000002, ... Clearing removes exactly that, never the newsletter's or the staff's records.

One module per kind of record, each with two functions: `make(world)` writes its records (bulk_create, in one
transaction with the others) and leaves on the `World` what later kinds need; `clear(delete)` passes `delete` the
querysets of its synthetic records. KINDS runs them in order, and clears them in the reverse order, so a kind is
removed before the kinds it points to. The words and sentences of each kind are data, in texts/<kind>.toml, in
Kyrgyz, Russian and English. To add a kind: a module with make() and clear(), its texts, its place in KINDS.
The same seed on the same database gives the same data.
"""

import random
import time

from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError

from core.signals import data_changed
from grants.models import Grant
from locations.models import Region

from . import grants, locations, mediators, organizations, program, trainings
from .base import DemoDataError, DemoReport, World
from .grants import REFERENCE_PREFIX
from .program import PROGRAM_SLUG

__all__ = [
    "DEFAULT_SEED",
    "KINDS",
    "PROGRAM_SLUG",
    "REFERENCE_PREFIX",
    "DemoDataError",
    "DemoReport",
    "clear_demo_data",
    "generate_demo_data",
]

DEFAULT_SEED = 2021
KINDS = (locations, organizations, program, grants, mediators, trainings)


def generate_demo_data(grants, seed=DEFAULT_SEED, clear=False, progress=None):
    """Make `grants` published synthetic grants (and 5% more unpublished) with everything around them.

    With clear=True the earlier synthetic records go first. `progress`, if given, is called with a line of text
    after each batch of grants. Returns a DemoReport with the counts.
    """
    if grants < 0:
        raise DemoDataError("The number of grants cannot be negative.")
    started = time.monotonic()
    regions = list(Region.objects.order_by("order", "slug"))
    if not regions:
        raise DemoDataError(
            "There are no regions: run `python manage.py load_newsletter` first; the demo data goes into its regions."
        )
    report = DemoReport()
    with transaction.atomic():
        if clear:
            report.deleted = clear_demo_data()
        if grants:
            world = World(size=grants, rng=random.Random(seed), regions=regions, report=report, progress=progress)
            for kind in KINDS:
                kind.make(world)
            # bulk_create sends no post_save: tell whatever keeps derived data (the page cache) once, at commit.
            transaction.on_commit(lambda: data_changed.send(sender=Grant))
    if connection.vendor == "postgresql":
        # What autovacuum would do after a bulk load, now: it may be off or come much later. ANALYZE gives the
        # planner statistics for what was just written (without them it plans for empty tables); VACUUM marks the
        # new pages all-visible, so that counts per region are index-only scans instead of reading every grant's
        # row. VACUUM cannot run inside a transaction: only when the caller has none open (the command, the
        # benchmarks), else ANALYZE alone.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    report.seconds = time.monotonic() - started
    return report


def clear_demo_data():
    """Remove every synthetic record and the synthetic programme; return the counts of removed rows by model."""
    deleted = {}

    def delete(queryset):
        _total, per_model = queryset.delete()
        for label, n in per_model.items():
            name = label.split(".")[-1].lower()
            deleted[name] = deleted.get(name, 0) + n

    try:
        with transaction.atomic():
            for kind in reversed(KINDS):
                kind.clear(delete)
    except (ProtectedError, RestrictedError) as error:
        used = sorted({str(obj._meta.verbose_name) for obj in error.args[1]})
        raise DemoDataError(
            f"Nothing was removed: records that are not synthetic ({', '.join(used)}) use the demo data. "
            "Change or delete them in the admin first."
        ) from error
    return deleted
