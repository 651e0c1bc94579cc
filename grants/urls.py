from django.urls import path

from . import views

app_name = "grants"
urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
]
