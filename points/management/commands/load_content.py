from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from points import cache as content_cache
from points.content import CONTENT_FILES, rebuild_derived, storable_raw_rows
from points.models import Point


class Command(BaseCommand):
    help = (
        "Load the site's content from fixtures/ (written by export_content), rebuild what the models derive "
        "from it, and retire cached pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", default=str(settings.BASE_DIR / "fixtures"), help="Folder to read from.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when points already exist.")

    def handle(self, *args, input, if_empty, **options):
        if if_empty and Point.objects.exists():
            self.stdout.write("Content already loaded; leaving it as it is.")
            return
        folder = Path(input)
        files = [str(folder / name) for name in CONTENT_FILES if (folder / name).exists()]
        # One transaction: a failure leaves no rows with their HTML or search keys still missing.
        with transaction.atomic():
            with storable_raw_rows():
                call_command("loaddata", *files, verbosity=options.get("verbosity", 1))
            rebuild_derived()
            # History starts with the content as rebuilt, so the first edit can be undone.
            call_command("createinitialrevisions", "points", comment="As loaded from fixtures/.", verbosity=0)
        # loaddata writes rows directly, without save(): pages cached before must go.
        content_cache.bump()
