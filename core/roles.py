"""Staff roles (Django groups made by a migration, see intymak/roles.py) and what they mean for one user.

Every app's admin and pages ask here which regions a user may edit
and whether they may change only translated text.
"""

MANAGERS = "Programme managers"
COORDINATORS = "Regional coordinators"
TRANSLATORS = "Translators"
DONORS = "Donors"


def _groups(user):
    if not hasattr(user, "_intymak_groups"):
        user._intymak_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._intymak_groups


def is_manager(user):
    return user.is_superuser or MANAGERS in _groups(user)


def coordinated_region_ids(user):
    """None when the user's edits are not limited to regions; else the ids of the regions they coordinate."""
    if is_manager(user) or COORDINATORS not in _groups(user):
        return None
    if not hasattr(user, "_intymak_regions"):
        user._intymak_regions = list(user.coordinated_regions.values_list("region_id", flat=True))
    return user._intymak_regions


def is_translator_only(user):
    """Translators change the translated text of any record, and nothing else (unless another role says more)."""
    return TRANSLATORS in _groups(user) and not is_manager(user) and COORDINATORS not in _groups(user)
