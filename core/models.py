"""Abstract models every app of the project shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def choice_label(choices, value):
    """What get_FOO_display() shows for `value`, by its enumeration of choices (`Model.Kind(value).label`): the
    label of that choice alone, where get_FOO_display() translates every label of the field to find it (on a region
    page's 47 places, a few hundred translations). A value that is not a choice shows as it is."""
    try:
        return choices(value).label
    except ValueError:
        return value


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
