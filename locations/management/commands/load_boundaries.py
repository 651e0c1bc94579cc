from django.core.management.base import BaseCommand, CommandError

from locations.boundaries import BoundaryError, load_boundaries


class Command(BaseCommand):
    help = (
        "Store official region boundaries from a GeoJSON FeatureCollection, matched to regions by COATE code or "
        "P-code, and project them for the home page map. Any error stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a GeoJSON file with one Polygon or MultiPolygon feature per region")
        parser.add_argument(
            "--skip-unmatched",
            action="store_true",
            help="leave out (and report) features that match no region instead of stopping",
        )

    def handle(self, *args, **options):
        try:
            report = load_boundaries(options["file"], skip_unmatched=options["skip_unmatched"])
        except BoundaryError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
