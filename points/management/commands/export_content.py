from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand

from points.content import CONTENT_FILES, content_models, export_fields, ordered_queryset


class Command(BaseCommand):
    help = "Write the site's content to fixtures/ in a stable, diff-friendly order (load it with load_content)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / "fixtures"), help="Folder to write to.")

    def handle(self, *args, output, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        rows = {file_name: [] for file_name in CONTENT_FILES}
        for file_name, model, label in content_models():
            rows[file_name].extend(ordered_queryset(model, label))
        for file_name, objects in rows.items():
            fields = sorted({name for obj in objects for name in export_fields(type(obj))})
            text = serializers.serialize(
                "json",
                objects,
                indent=1,
                ensure_ascii=False,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                fields=fields,
            )
            (folder / file_name).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"{file_name}: {len(objects)} rows")
