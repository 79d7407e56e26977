import time

from django.core.management import call_command
from django.db import migrations, models


def first_version(apps, schema_editor):
    # Nanoseconds, not 1: a new database must not reuse pages an old one left in a shared cache.
    apps.get_model("points", "ContentVersion").objects.using(schema_editor.connection.alias).create(
        pk=1, value=time.time_ns()
    )


def create_cache_tables(apps, schema_editor):
    # The table of the database-backed cache that counts sign-in failures (settings.CACHES["logins"]).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("points", "0007_routine_revisions")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
