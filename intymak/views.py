"""The site layer's pages: home, regions, about, and what crawlers and load balancers ask for."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Coalesce
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.translated import in_every_language
from grants.models import Grant, GrantUpdate, Program, ProgramComponent
from grants.views import paginate
from locations.models import Location, Region
from mediators.models import Mediator, Training
from mediators.network import coverage

from .region_map import region_map
from .unavailable import response_for_current_exception

# A region page is an overview read on phones: each of its lists shows at most this many (initiatives a page; the
# busiest organisations; mediators; the latest trainings), each with its total and, where there is one, a link to
# the full list.
REGION_LIST_LIMIT = 10
LATEST_UPDATES = 5


def _get_programme():
    return Program.objects.select_related("funder", "implementer").prefetch_related("partners", "components").current()


def _get_programme_summary():
    """The current programme's name and summary, all that the home page shows of it: one query, not the about
    page's three."""
    return Program.objects.only("slug", *in_every_language("name", "summary")).current()


def _initiative_count():
    """For annotating regions: their number of published grants, from the (published, region) index rather than a
    join over every grant's wide row."""
    counts = Grant.objects.published().filter(region=OuterRef("pk")).order_by().values("region")
    return Coalesce(Subquery(counts.annotate(n=Count("region")).values("n")), 0)


def _regions_with_counts():
    return Region.objects.defer("boundary").annotate(initiative_count=_initiative_count())


def _count_with(model, grants):
    """How many rows of model have at least one of these grants (correlated to OuterRef("pk")).

    As COUNT(...) FILTER (WHERE EXISTS ...), PostgreSQL probes the indexes per row and stops at the first grant; as
    WHERE EXISTS it joins every published grant first (benchmarks/README.md has the figures).
    """
    return model.objects.aggregate(n=Count("pk", filter=Exists(grants)))["n"]


def _key_figures(regions):
    """The home page's figures; `regions` are those of _regions_with_counts(), already read for the map."""
    published = Grant.objects.published()
    awarded = published.awarded()
    # Money awarded: awarded grants only (not planned, not cancelled), per currency, never summed across currencies.
    money = list(
        awarded.filter(amount__isnull=False)
        .exclude(currency="")
        .values("currency")
        .annotate(total=Sum("amount"), grants=Count("pk"))
        .order_by("currency")
    )
    return {
        # Every grant has a region, so the regions' counts add up to them all.
        "initiatives": sum(region.initiative_count for region in regions),
        "organizations": published.values("recipient").distinct().count(),
        "locations": _count_with(Location, published.filter(locations=OuterRef("pk"))),
        "regions": sum(1 for region in regions if region.initiative_count),
        "mediators": Mediator.objects.public().count(),
        "money": money,
        # How many grants the money covers: those with a known amount, of all awarded ones.
        "money_grants": sum(row["grants"] for row in money),
        "awarded": awarded.count(),
    }


def home(request):
    regions = list(_regions_with_counts())
    updates = GrantUpdate.objects.public().latest_first()[:LATEST_UPDATES]
    return render(
        request,
        "intymak/home.html",
        {
            "programme": _get_programme_summary(),
            "regions": regions,
            "region_map": region_map(regions),
            "figures": _key_figures(regions),
            "updates": updates,
        },
    )


def region_list(request):
    return render(request, "intymak/region_list.html", {"regions": _regions_with_counts()})


def _first_and_count(queryset):
    """The first REGION_LIST_LIMIT rows and how many there are in all, in one query: each row carries the count."""
    rows = list(queryset.annotate(total=Window(Count("pk")))[:REGION_LIST_LIMIT])
    return rows, rows[0].total if rows else 0


def _in_places(rows, places):
    """Each row's place from the region's places, read once for the whole page, rather than joined into each list."""
    by_id = {place.pk: place for place in places}
    for row in rows:
        row.location = by_id[row.location_id]  # rows of the region: their place is one of its places
    return rows


def region_detail(request, slug):
    region = get_object_or_404(Region.objects.without_shapes(), slug=slug)
    public = Grant.objects.published().in_region(region)
    initiative_count, organization_count, busiest = public.recipient_counts(REGION_LIST_LIMIT)
    page = paginate(request, public.for_cards(with_region=False), per_page=REGION_LIST_LIMIT, count=initiative_count)
    places = public.place_counts(region)
    mediators, mediator_count = _first_and_count(
        Mediator.objects.public().in_region(region).for_cards(with_places=False).order_by("name")
    )
    trainings, training_count = _first_and_count(
        Training.objects.in_region(region).for_lists(with_places=False).order_by("-date", "pk")
    )
    return render(
        request,
        "intymak/region_detail.html",
        {
            "region": region,
            "page": page,
            "grants": page.object_list,
            "organizations": busiest,
            "organization_count": organization_count,
            # Synthetic places only where they have initiatives: demo data adds many.
            "locations": [place for place in places if place.initiative_count or not place.synthetic],
            "mediators": _in_places(mediators, places),
            "mediator_count": mediator_count,
            "coverage": coverage(region=region),
            "trainings": _in_places(trainings, places),
            "training_count": training_count,
        },
    )


def _component_progress(programme):
    """What has been done so far for each line of the action plan that can be counted."""
    grants = Grant.objects.published().filter(program=programme)
    trainings = Training.objects.all()
    done = {
        ProgramComponent.Measure.CSO_GRANTS: grants.filter(kind=Grant.Kind.CSO).count(),
        ProgramComponent.Measure.LSG_GRANTS: grants.filter(kind=Grant.Kind.LSG).count(),
        ProgramComponent.Measure.TRAINED_LOCATIONS: trainings.filter(
            kind__in=(Training.Kind.MEDIATION, Training.Kind.CONFLICT_PREVENTION), location__isnull=False
        )
        .values("location")
        .distinct()
        .count(),
        # The mediators listed on the site, as the home page counts them: a public figure counts only people a
        # visitor can see, never those who did not agree to be shown, nor archived ones who have left.
        ProgramComponent.Measure.MEDIATOR_NETWORK: Mediator.objects.public().count(),
        ProgramComponent.Measure.WORKING_GROUP_MEETINGS: trainings.filter(kind=Training.Kind.WORKING_GROUP).count(),
    }
    rows = []
    for component in programme.components.all():
        value = done.get(component.measure)
        percent = min(100, round(100 * value / component.target)) if value is not None and component.target else None
        rows.append({"component": component, "done": value, "percent": percent})
    return rows


def about(request):
    programme = _get_programme()
    progress = _component_progress(programme) if programme else []
    return render(request, "intymak/about.html", {"programme": programme, "progress": progress})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/admin/", f"Disallow: /{code}/reports/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """For load balancers: does this server reach its database and its cache?"""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ok", and says which
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("intymak:healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("intymak:healthz") == "ok" else "error: no answer"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # A database that cannot be reached, noticed in a middleware (a view's is handled by the middleware itself).
    unavailable = response_for_current_exception(request)
    if unavailable is not None:
        return unavailable
    return render(request, "500.html", status=500)
