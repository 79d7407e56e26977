from django.db import migrations

from points.text_index import keep_text_inline, let_text_move


class Migration(migrations.Migration):
    dependencies = [("points", "0012_point_search_text")]

    operations = [migrations.RunPython(keep_text_inline, let_text_move)]
