from django.db import migrations

from points.text_index import store_text, unstore_text


class Migration(migrations.Migration):
    dependencies = [("points", "0011_point_text_index")]

    operations = [migrations.RunPython(store_text, unstore_text)]
