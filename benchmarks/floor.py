"""The portal's addresses plus /floor/<size>/: the cheapest page Django can serve through the same middleware.

The benchmark compares each portal page with a floor page of the same size, served by the same workers.
"""

from django.http import HttpResponse
from django.urls import path

from intymak.urls import handler404, handler500
from intymak.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def floor(request, size):
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")


urlpatterns = [path("floor/<int:size>/", floor), *portal_urlpatterns]
