import sys

import django_filters
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            # Nothing is written, not even an empty file, when the format can describe none of these grants.
            if message := export.unavailable(grants):
                raise CommandError(message)
            context = export_context(grants, form, options["language"])
            to_stdout = options["output"] == "-"
            output = sys.stdout.buffer if to_stdout else open(options["output"], "wb")  # noqa: SIM115
            try:
                for chunk in export.render(grants, context):
                    output.write(chunk)
            finally:
                if not to_stdout:
                    output.close()
            self.stderr.write(self._summary(export, grants, context, options["output"]))

    def _summary(self, export, grants, context, output):
        """What was written, and what was left out and why, in the command's language."""
        where = _("standard output") if output == "-" else output
        lines = [
            ngettext(
                "%(filename)s: %(count)s grant written to %(output)s",
                "%(filename)s: %(count)s grants written to %(output)s",
                context.written,
            )
            % {"filename": export.filename, "count": context.written, "output": where}
        ]
        left = export.left_out(grants)
        if left:
            total = sum(n for _reason, n, _references in left)
            lines.append(ngettext("%(count)s grant left out:", "%(count)s grants left out:", total) % {"count": total})
            for reason, n, references in left:
                shown = ", ".join(references) + (" …" if n > len(references) else "")
                lines.append(f"  {reason}: {n} ({shown})")
        return "\n".join(lines)
