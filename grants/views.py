from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .filters import GrantFilter
from .models import Grant, Organization

PAGE_SIZE = 20


def paginate(request, queryset, per_page=PAGE_SIZE, count=None):
    """The requested page; a page number that is not a number or out of range is a 404, not an error.

    `count`: how many rows the queryset has, where the view has read it already (no COUNT query then)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def filter_query(request):
    """The address's filters without the page number: what the pagination links carry on to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def initiative_list(request):
    filters = GrantFilter(request.GET, queryset=Grant.objects.published().for_cards(), request=request)
    page = paginate(request, filters.qs)
    return render(
        request,
        "grants/initiative_list.html",
        {"form": filters.form, "page": page, "grants": page.object_list, "filter_query": filter_query(request)},
    )


def initiative_detail(request, slug):
    grant = get_object_or_404(
        Grant.objects.published().with_public_related().select_related("recipient__location"), slug=slug
    )
    return render(request, "grants/initiative_detail.html", {"grant": grant, "updates": grant.updates.all()})


def organization_detail(request, slug):
    organization = get_object_or_404(Organization.objects.select_related("location__region"), slug=slug)
    page = paginate(request, organization.grants.published().for_cards())
    return render(
        request,
        "grants/organization_detail.html",
        {"organization": organization, "page": page, "grants": page.object_list},
    )
