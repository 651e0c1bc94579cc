from django.db import migrations

DONORS = "Donors"


def create_donors(apps, schema_editor):
    """The "Donors" group: the reports page and its exports, nothing they could change."""
    # Permissions are normally made after all migrations; this group needs its permission now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _created = ContentType.objects.get_or_create(app_label="grants", model="grant")
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_reports",
        defaults={"name": "Can see the reports and download the exports"},
    )
    group, _created = Group.objects.get_or_create(name=DONORS)
    group.permissions.add(permission)


def remove_donors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DONORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0005_reports_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_donors, remove_donors)]
