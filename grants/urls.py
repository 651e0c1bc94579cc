from django.urls import path

from . import report_views, views
from .exporters import FORMATS

app_name = "grants"
urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("reports/", report_views.reports, name="reports"),
    *(
        path(f"reports/{item.filename}", report_views.report_export, {"filename": item.filename}, name=f"export-{key}")
        for key, item in FORMATS.items()
    ),
]
