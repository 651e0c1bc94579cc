from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Intymak administration")
admin.site.site_title = _("Intymak")
admin.site.index_title = _("Programme data")
