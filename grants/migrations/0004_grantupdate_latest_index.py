from django.db import migrations


def create_index(apps, schema_editor):
    # "Latest updates, undated last" reads this index in order; SQLite cannot index NULLS LAST and needs none.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX grantupdate_latest ON grants_grantupdate (date DESC NULLS LAST, id DESC)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS grantupdate_latest")


class Migration(migrations.Migration):
    dependencies = [("grants", "0003_grant_public_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
