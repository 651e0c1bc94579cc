from django.core.management.base import BaseCommand, CommandError

from intymak.demo import DEFAULT_SEED, DemoDataError, generate_demo_data


class Command(BaseCommand):
    help = (
        "Make synthetic demo data for benchmarks and load tests: N published grants (and 5% more unpublished) "
        "with organisations, places, mediators and trainings, all marked synthetic. Run load_newsletter first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grants", type=int, required=True, help="How many published grants to make (0: none).")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="The same seed makes the same data.")
        parser.add_argument(
            "--clear", action="store_true", help="First remove the synthetic records made before (never other data)."
        )

    def handle(self, *args, grants, seed, clear, verbosity, **options):
        progress = self.stdout.write if verbosity >= 2 else None
        try:
            report = generate_demo_data(grants, seed=seed, clear=clear, progress=progress)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.summary())
