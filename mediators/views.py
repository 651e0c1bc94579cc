"""The public directory of mediators: only those who consented to be listed, never their contact details.
Staff also get the full coverage view and the registry with private fields."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from core.roles import coordinated_region_ids
from grants.views import filter_query, paginate
from locations.models import Region

from .exports import registry_csv, registry_xlsx
from .filters import MediatorFilter
from .models import Mediator
from .network import coverage, public_network

PAGE_SIZE = 30


def mediator_list(request):
    filters = MediatorFilter(
        request.GET, queryset=Mediator.objects.public().for_cards().order_by("name", "pk"), request=request
    )
    page = paginate(request, filters.qs, PAGE_SIZE)
    return render(
        request,
        "mediators/mediator_list.html",
        {"form": filters.form, "page": page, "mediators": page.object_list, "filter_query": filter_query(request)},
    )


def mediator_detail(request, slug):
    mediator = get_object_or_404(
        Mediator.objects.public()
        .select_related("location__region", "mentor")
        .prefetch_related("languages", "specialisations"),
        slug=slug,
    )
    context = {
        "mediator": mediator,
        "mentor": mediator.mentor if mediator.mentor and mediator.mentor.public_consent else None,
        "mentees": mediator.mentees.public().select_related("location").order_by("name"),
        "trainings": mediator.trainings.for_lists().order_by("-date"),
    }
    return render(request, "mediators/mediator_detail.html", context)


def _region_filter(request):
    """(region, unknown): the region the address asks for, and whether it asks for one that does not exist."""
    slug = request.GET.get("region", "")
    # PostgreSQL refuses a NUL byte in any string: such a "slug" names no region.
    region = Region.objects.filter(slug=slug).first() if slug and "\x00" not in slug else None
    return region, bool(slug) and region is None


def network(request):
    region, unknown_region = _region_filter(request)
    return render(
        request,
        "mediators/network.html",
        {
            "roots": [] if unknown_region else public_network(region),
            "region": region,
            "regions": Region.objects.without_shapes(),
        },
    )


def coverage_view(request):
    """Counts for everyone; names (listed or not) only for staff, whose pages are never cached."""
    staff = request.user.is_authenticated and request.user.is_staff
    region, unknown_region = _region_filter(request)
    rows = [] if unknown_region else coverage(region=region, with_names=staff)
    return render(
        request,
        "mediators/coverage.html",
        {"rows": rows, "region": region, "staff": staff, "regions": Region.objects.without_shapes()},
    )


@never_cache
@staff_member_required
def registry_export(request, extension):
    """The whole registry with private contact details: for staff, never for donors or the public."""
    language = translation.get_language()
    regions = coordinated_region_ids(request.user)  # a regional coordinator gets their regions only
    if extension == "csv":
        response = StreamingHttpResponse(registry_csv(language, regions), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            registry_xlsx(language, regions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="mediators.{extension}"'
    return response
