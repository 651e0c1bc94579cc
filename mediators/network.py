"""The network of mediators: coverage of the programme's target locations, and who mentors whom."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

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


def coverage(programme=None, region=None, with_names=False):
    """Per target location of the programme: trained and certified mediators, mentors, trainings held.

    Without names unless asked (staff): the public sees counts only, which name no one.
    """
    programme = programme or Program.objects.order_by("-start_date", "pk").first()
    if programme is None:
        return []
    locations = Location.objects.filter(pk__in=programme.target_location_ids()).select_related("region")
    locations = locations.defer("region__boundary", "region__map_path")  # large, and not shown here
    if region is not None:
        locations = locations.filter(region=region)
    rows = {location.pk: LocationCoverage(location) for location in locations.order_by("region__order", "name")}
    mediators = Mediator.objects.filter(location__in=rows)
    # The three counts of mediators in one query: joining trainings and mentees multiplies a mediator's rows, which
    # COUNT(DISTINCT) undoes; each count takes only the rows its condition admits.
    per_location = (
        mediators.order_by()
        .values_list("location")
        .annotate(
            trained=Count("pk", distinct=True, filter=Q(trainings__kind__in=TRAINING_KINDS)),
            certified=Count("pk", distinct=True, filter=Q(certification=Mediator.Certification.CERTIFIED)),
            mentors=Count("pk", distinct=True, filter=Q(mentees__isnull=False)),
        )
    )
    for location, trained, certified, mentors in per_location:
        row = rows[location]
        row.trained, row.certified, row.mentors = trained, certified, mentors
    trainings = Training.objects.filter(location__in=rows).order_by().values_list("location")
    for location, n in trainings.annotate(n=Count("pk")):
        rows[location].trainings = n
    if with_names:
        for mediator in mediators.order_by("name"):
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
