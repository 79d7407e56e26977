from django.db import migrations

from points.text_index import create_index, drop_index


class Migration(migrations.Migration):
    dependencies = [("points", "0010_point_status_sort_key_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
