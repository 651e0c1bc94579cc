from django.core.management.base import BaseCommand, CommandError

from grants.newsletter import DATA_FILE, NewsletterError, load_newsletter


class Command(BaseCommand):
    help = "Load the Living in Peace newsletter's programme, regions, locations, organisations and grants."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DATA_FILE, help="Data file (TOML); the project's own by default.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring records that staff have edited back in line with the file (by default they are kept).",
        )

    def handle(self, *args, file, update, **options):
        try:
            report = load_newsletter(file, update=update)
        except NewsletterError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(report.summary())
