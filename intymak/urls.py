from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("grants.urls")),
    path("", include("intymak.site_urls")),
)

handler404 = "intymak.views.page_not_found"
handler500 = "intymak.views.server_error"
