"""The network of mediators: coverage of the programme's target locations, and who mentors whom."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from grants.models import Program
from locations.models import Location

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


def _count_here(queryset):
    """For annotating locations: how many distinct rows of queryset are at the location (0 for none)."""
    rows = queryset.filter(location=OuterRef("pk")).order_by().values("location")
    return Coalesce(Subquery(rows.annotate(n=Count("pk", distinct=True)).values("n")), 0)


def coverage(programme=None, region=None, with_names=False):
    """Per target location of the programme: trained and certified mediators, mentors, trainings held.

    Without names unless asked (staff): the public sees counts only, which name no one. One query after the
    programme's: the target locations with their four counts as correlated subqueries (a region page shows this).
    """
    programme = programme or Program.objects.order_by("-start_date", "pk").first()
    if programme is None:
        return []
    locations = Location.objects.filter(programme.target_locations_condition())
    if region is not None:
        locations = locations.filter(region=region)
    locations = (
        locations.select_related("region")
        .defer("region__boundary", "region__map_path")  # large, and not shown here
        .annotate(
            n_trained=_count_here(Mediator.objects.filter(trainings__kind__in=TRAINING_KINDS)),
            n_certified=_count_here(Mediator.objects.filter(certification=Mediator.Certification.CERTIFIED)),
            n_mentors=_count_here(Mediator.objects.filter(mentees__isnull=False)),
            n_trainings=_count_here(Training.objects.all()),
        )
        .order_by("region__order", "name")
    )
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
