"""The site layer's pages: home, regions, about, and the error pages."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from grants.models import Grant, Organization, Program
from locations.models import Region


def _get_programme():
    return Program.objects.select_related("funder", "implementer").prefetch_related("partners", "components").first()


def _regions_with_counts():
    return Region.objects.annotate(initiative_count=Count("grants", filter=Q(grants__published=True)))


def home(request):
    return render(
        request,
        "intymak/home.html",
        {"programme": _get_programme(), "regions": _regions_with_counts()},
    )


def region_list(request):
    return render(request, "intymak/region_list.html", {"regions": _regions_with_counts()})


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    grants = Grant.objects.published().in_region(region).with_public_related()
    organizations = Organization.objects.filter(grants__in=grants).distinct().select_related("location")
    locations = region.locations.select_related("parent").order_by("name")
    return render(
        request,
        "intymak/region_detail.html",
        {"region": region, "grants": grants, "organizations": organizations, "locations": locations},
    )


def about(request):
    return render(request, "intymak/about.html", {"programme": _get_programme()})


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
