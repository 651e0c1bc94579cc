from django.urls import path

from . import views

app_name = "mediators"
urlpatterns = [
    path("", views.mediator_list, name="list"),
    path("<slug:slug>/", views.mediator_detail, name="detail"),
]
