from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from . import signin, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=signin.SignInForm), name="login"),
    path("accounts/logout/", signin.SignOutView.as_view(), name="logout"),
    path("accounts/verify/", signin.verify_code, name="verify-code"),
    path("", include("grants.urls")),
    path("mediators/", include("mediators.urls")),
    path("", include("intymak.site_urls")),
)

handler404 = "intymak.views.page_not_found"
handler500 = "intymak.views.server_error"
