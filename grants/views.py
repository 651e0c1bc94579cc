from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Grant, Organization

PAGE_SIZE = 20


def initiative_list(request):
    grants = Grant.objects.published().with_public_related()
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "grants/initiative_list.html", {"page": page, "grants": page.object_list})


def initiative_detail(request, slug):
    grant = get_object_or_404(
        Grant.objects.published().with_public_related().select_related("recipient__location"), slug=slug
    )
    return render(request, "grants/initiative_detail.html", {"grant": grant, "updates": grant.updates.all()})


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("location__region"), slug=slug)
    grants = organization.grants.published().with_public_related()
    return render(request, "grants/organization_detail.html", {"organization": organization, "grants": grants})
