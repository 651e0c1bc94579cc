"""Pages that bring several apps together: home, regions, about."""

from django.urls import path

from . import views

app_name = "intymak"
urlpatterns = [
    path("", views.home, name="home"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("about/", views.about, name="about"),
]
