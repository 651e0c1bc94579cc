from django.db import migrations


def create_roles(apps, schema_editor):
    from intymak.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("locations", "0004_history"),
        ("grants", "0009_history"),
        ("mediators", "0003_history"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
