"""Keep each grant's search text in step with what it is found by: its own texts and related names."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from locations.models import Location, Region

from .models import Grant, Organization, Theme
from .search import defer_reindex, grants_reindex


def _reindex(queryset):
    if not defer_reindex(queryset.values_list("pk", flat=True)):
        grants_reindex(queryset.with_public_related())


@receiver(post_save, sender=Grant)
def grant_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex(Grant.objects.filter(pk=instance.pk))


@receiver(m2m_changed, sender=Grant.locations.through)
@receiver(m2m_changed, sender=Grant.themes.through)
def grant_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # a location's or theme's grants were changed from the other side
        _reindex(Grant.objects.filter(pk__in=pk_set) if pk_set else instance.grants.all())
    else:
        _reindex(Grant.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Organization)
def organization_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex(Grant.objects.filter(recipient=instance))


@receiver(post_save, sender=Region)
@receiver(post_save, sender=Location)
@receiver(post_save, sender=Theme)
def name_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Region:
        _reindex(Grant.objects.filter(region=instance))
    else:
        _reindex(instance.grants.all())
