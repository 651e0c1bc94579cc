from django.urls import path

from . import views

app_name = "mediators"
urlpatterns = [
    path("", views.mediator_list, name="list"),
    path("network/", views.network, name="network"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("registry.csv", views.registry_export, {"extension": "csv"}, name="registry-csv"),
    path("registry.xlsx", views.registry_export, {"extension": "xlsx"}, name="registry-xlsx"),
    path("<slug:slug>/", views.mediator_detail, name="detail"),
]
