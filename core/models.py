"""Abstract models every app of the project shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record staff edit together: each save counts up `version`, so a form opened on an older version can tell
    that someone saved in between (see admin_base.ConcurrentEditForm)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class SlugManager(models.Manager):
    """Natural keys are slugs: stable across databases, so fixtures and exports stay comparable."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)
