"""The staff roles: Django groups and their permissions. Migrations make them (intymak/migrations); staff assign
people to them in the admin. What each role may do beyond permissions (regions, text only) is core/roles.py.

- Programme manager: everything, including people and their roles.
- Regional coordinator: adds and edits places, organisations, grants (and their updates), mediators and trainings
  of the regions assigned to them; sees the rest without changing it; never deletes.
- Translator: changes the translated text of any record (titles, summaries, descriptions, names, biographies).
- Donor: the reports page and its exports.
"""

from core.roles import COORDINATORS, DONORS, MANAGERS, TRANSLATORS

DATA_APPS = ("locations", "grants", "mediators")
ACTIONS = ("add", "change", "delete", "view")

REGIONAL = ["locations.location", "grants.organization", "grants.grant", "grants.grantupdate", "mediators.mediator",
            "mediators.training"]  # fmt: skip
SHARED = ["locations.region", "grants.program", "grants.programcomponent", "grants.theme", "mediators.language",
          "mediators.specialisation"]  # fmt: skip
TRANSLATABLE = [*REGIONAL, *SHARED]


def _codenames(models, actions):
    return [f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in models for action in actions]


def role_permissions(all_models):
    """{group name: ["app.codename", ...]}; all_models: "app.model" of every model of the data apps."""
    people = ["auth.user", "auth.group", "locations.regioncoordinator"]
    return {
        MANAGERS: [*_codenames([*all_models, *people], ACTIONS), "grants.view_reports"],
        COORDINATORS: [
            *_codenames(REGIONAL, ("add", "change", "view")),
            *_codenames(SHARED, ("view",)),
            "grants.view_reports",
        ],  # fmt: skip
        TRANSLATORS: _codenames(TRANSLATABLE, ("change", "view")),
        DONORS: ["grants.view_reports"],
    }


def sync_roles(apps):
    """Create the groups and give them exactly their permissions (used by migrations, with the historical apps)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    all_models = [
        f"{model._meta.app_label}.{model._meta.model_name}"
        for label in DATA_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]
    for name, codenames in role_permissions(all_models).items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [codename.split(".") for codename in codenames]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted
        ]
        group.permissions.set(permissions)
