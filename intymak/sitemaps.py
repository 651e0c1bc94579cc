"""sitemap.xml: every public page, in each language, with its alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from grants.models import Grant, Organization
from locations.models import Region
from mediators.models import Mediator


class _I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 15000  # pages of the sitemap hold this many addresses in each of the three languages


class PagesSitemap(_I18nSitemap):
    def items(self):
        return ["intymak:home", "intymak:regions", "grants:initiatives", "mediators:list", "intymak:about"]

    def location(self, item):
        return reverse(item)


class RegionSitemap(_I18nSitemap):
    def items(self):
        return Region.objects.without_shapes().order_by("order")


class GrantSitemap(_I18nSitemap):
    def items(self):
        return Grant.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, grant):
        return grant.updated_at


class OrganizationSitemap(_I18nSitemap):
    def items(self):
        published = Grant.objects.published().filter(recipient=OuterRef("pk"))
        return Organization.objects.filter(Exists(published)).only("slug").order_by("pk")


class MediatorSitemap(_I18nSitemap):
    def items(self):
        # Only mediators who consented to be listed: the sitemap is public.
        return Mediator.objects.public().only("slug").order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "regions": RegionSitemap,
    "initiatives": GrantSitemap,
    "organizations": OrganizationSitemap,
    "mediators": MediatorSitemap,
}
