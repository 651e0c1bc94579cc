import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants.exporters import FORMATS, export_context
from grants.reports import InvalidFilters, report_grants


class Command(BaseCommand):
    help = "Export the programme's grants for donors' systems: the same files as the reports page, for schedules."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="What kind of file.")
        parser.add_argument("-o", "--output", required=True, help="File to write, or - for standard output.")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument("--program", help="Programme (slug).")
        parser.add_argument("--region", help="Region (slug).")
        parser.add_argument("--kind", help="Kind of grant (cso, lsg).")
        parser.add_argument("--status", help="Status (planned, awarded, active, completed, cancelled).")
        parser.add_argument("--theme", help="Theme (slug).")
        parser.add_argument("--award-from", help="Awarded on or after (YYYY-MM-DD).")
        parser.add_argument("--award-to", help="Awarded on or before (YYYY-MM-DD).")
        parser.add_argument(
            "--include-unpublished", action="store_true", help="Unpublished grants too (for staff, never donors)."
        )

    def handle(self, *args, **options):
        names = ("program", "region", "kind", "status", "theme", "award_from", "award_to")
        filters = {name: options[name] for name in names if options[name]}
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
