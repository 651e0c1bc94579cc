"""The public directory of mediators: only those who consented to be listed, never their contact details."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Mediator

PAGE_SIZE = 30


def mediator_list(request):
    mediators = Mediator.objects.public().select_related("location__region").order_by("name", "pk")
    try:
        page = Paginator(mediators, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    return render(request, "mediators/mediator_list.html", {"page": page, "mediators": page.object_list})


def mediator_detail(request, slug):
    mediator = get_object_or_404(
        Mediator.objects.public()
        .select_related("location__region", "mentor")
        .prefetch_related("languages", "specialisations"),
        slug=slug,
    )
    return render(request, "mediators/mediator_detail.html", {"mediator": mediator})
