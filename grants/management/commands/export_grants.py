import sys

import django_filters
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from grants.exporters import FORMATS, export_context
from grants.filters import ReportFilter
from grants.reports import InvalidFilters, report_grants


def _filter_help(filter_):
    """A filter's label and the values it takes, e.g. "Kind (cso, lsg)"."""
    if isinstance(filter_, django_filters.ModelChoiceFilter):
        values = filter_.extra.get("to_field_name", "id")
    elif isinstance(filter_, django_filters.ChoiceFilter):
        values = ", ".join(value for value, _label in filter_.extra["choices"])
    elif isinstance(filter_, django_filters.DateFilter):
        values = "YYYY-MM-DD"
    else:
        values = "text"
    return f"{filter_.label} ({values})."


class Command(BaseCommand):
    help = "Export the programme's grants for donors' systems: the same files as the reports page, for schedules."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="What kind of file.")
        parser.add_argument("-o", "--output", required=True, help="File to write, or - for standard output.")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )
        # The reports page's filters, under the same names (--award-from for award_from): a filter added to
        # ReportFilter is an option here too.
        with translation.override("en"):
            for name, filter_ in ReportFilter.base_filters.items():
                parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=_filter_help(filter_))
        parser.add_argument(
            "--include-unpublished", action="store_true", help="Unpublished grants too (for staff, never donors)."
        )

    def handle(self, *args, **options):
        filters = {name: options[name] for name in ReportFilter.base_filters if options[name]}
        with translation.override(options["language"]):
            try:
                grants, form = report_grants(filters, include_unpublished=options["include_unpublished"])
            except InvalidFilters as error:
                raise CommandError(f"These filters cannot be used: {error}") from error
            export = FORMATS[options["format"]]
            context = export_context(grants, form, options["language"])
            output = sys.stdout.buffer if options["output"] == "-" else open(options["output"], "wb")  # noqa: SIM115
            try:
                for chunk in export.render(grants, context):
                    output.write(chunk)
            finally:
                if output is not sys.stdout.buffer:
                    output.close()
        if options["output"] != "-":
            self.stderr.write(f"{export.filename}: {context.totals.grants} grants written to {options['output']}")
