"""The network of mediators: coverage of the programme's target locations, and who mentors whom."""

import functools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch

from grants.models import Grant, Program
from locations.models import Location, Region

from .models import Mediator, Training

TRAINING_KINDS = (Training.Kind.MEDIATION, Training.Kind.CONFLICT_PREVENTION)


@dataclass
class LocationCoverage:
    location: Location
    trained: int = 0  # mediators who attended a mediation or conflict-prevention training
    certified: int = 0
    mentors: int = 0  # mediators here who mentor someone
    trainings: int = 0  # trainings and meetings held here
    mediators: list = field(default_factory=list)  # for staff only: everyone here, listed or not

    @property
    def has_certified(self):
        return self.certified > 0


# Per target location of a programme, its four counts. Hand-written: built with the ORM (four correlated subqueries
# and the target condition: tests/test_hand_written_queries.py, which checks that both return the same on PostgreSQL
# and SQLite), the query takes several times more Python to compose on every region page than PostgreSQL takes to
# run it. Target locations are those recorded for the programme, or if it records none, the places of its public
# grants, whose SQL the ORM compiles ({grants}).
_COVERAGE_SQL = """
SELECT loc.*,
    (SELECT COUNT(DISTINCT m.id) FROM {mediator} m
        JOIN {participant} p ON p.mediator_id = m.id
        JOIN {training} t ON t.id = p.training_id
        WHERE m.location_id = loc.id AND t.kind IN (%s, %s)) AS n_trained,
    (SELECT COUNT(*) FROM {mediator} m WHERE m.location_id = loc.id AND m.certification = %s) AS n_certified,
    (SELECT COUNT(*) FROM {mediator} m WHERE m.location_id = loc.id
        AND EXISTS (SELECT 1 FROM {mediator} mentee WHERE mentee.mentor_id = m.id)) AS n_mentors,
    (SELECT COUNT(*) FROM {training} t WHERE t.location_id = loc.id) AS n_trainings
FROM {location} loc
WHERE (%s IS NULL OR loc.region_id = %s)
    AND (EXISTS (SELECT 1 FROM {target} tl WHERE tl.program_id = %s AND tl.location_id = loc.id)
        OR (NOT EXISTS (SELECT 1 FROM {target} tl WHERE tl.program_id = %s)
            AND EXISTS (SELECT 1 FROM {place} gl WHERE gl.location_id = loc.id AND gl.grant_id IN ({grants}))))
"""


@functools.cache
def _tables(vendor):
    tables = {
        "location": Location,
        "mediator": Mediator,
        "training": Training,
        "participant": Training.participants.through,
        "target": Program.target_locations.through,
        "place": Grant.locations.through,
    }
    return {name: connection.ops.quote_name(model._meta.db_table) for name, model in tables.items()}


def coverage_counts(programme, region=None):
    """The programme's target locations (of `region`, or of the whole country), each with n_trained,
    n_certified, n_mentors and n_trainings: one statement."""
    grants, grant_params = (
        Grant.objects.published().filter(program=programme).order_by().values("pk").query.sql_with_params()
    )
    statement = _COVERAGE_SQL.format(grants=grants, **_tables(connection.vendor))
    region_id = region.pk if region is not None else None
    params = [*TRAINING_KINDS, Mediator.Certification.CERTIFIED, region_id, region_id, programme.pk, programme.pk]
    return Location.objects.raw(statement, [*params, *grant_params])


def coverage(programme=None, region=None, with_names=False):
    """Per target location of the programme (by default the current one): trained and certified mediators, mentors,
    trainings held.

    Without names unless asked (staff): the public sees counts only, which name no one. One query after the
    programme's, and for the whole country one more for the regions' names.
    """
    if programme is None:
        # The current programme's key only: its row holds long texts in three languages that this does not show.
        programme = Program.objects.only("pk").current()
        if programme is None:
            return []
    locations = Mediator.objects.coverage_counts(programme, region)
    if region is None:
        locations = locations.prefetch_related(Prefetch("region", queryset=Region.objects.without_shapes()))
    locations = list(locations)
    if region is not None:
        for location in locations:
            location.region = region  # the page's own region object, rather than a query per place
    locations.sort(key=lambda location: (location.region.order, location.name, location.pk))
    rows = {
        location.pk: LocationCoverage(
            location,
            trained=location.n_trained,
            certified=location.n_certified,
            mentors=location.n_mentors,
            trainings=location.n_trainings,
        )
        for location in locations
    }
    if with_names:
        for mediator in Mediator.objects.filter(location__in=rows).order_by("name"):
            rows[mediator.location_id].mediators.append(mediator)
    return list(rows.values())


@dataclass
class Node:
    mediator: Mediator
    children: list = field(default_factory=list)


def public_network(region=None):
    """Trees of mentorship among listed mediators. Someone whose mentor is not listed starts a tree of their own,
    so nothing shows that an unlisted person exists."""
    mediators = Mediator.objects.public().select_related("location").order_by("name", "pk")
    if region is not None:
        mediators = mediators.in_region(region)
    nodes = {mediator.pk: Node(mediator) for mediator in mediators}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.mediator.mentor_id)
        (parent.children if parent else roots).append(node)
    return roots
