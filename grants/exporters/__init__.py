"""The donor exports, found by identifier: `export_grants --format csv` and /<lang>/reports/grants.csv alike.

Each format is one module with `render(grants, context)` yielding the file's bytes and counting the grants it
writes in `context.written`; tabular formats share base.py (CSV, XLSX), formats with their own structure (PDF,
IATI XML, 360Giving JSON) have their own module. A format that cannot describe every grant (360Giving) also has
`unavailable(grants)`, the reason there is no file, and `left_out(grants)`, the grants it leaves out and why.
"""

import datetime
import functools
from dataclasses import dataclass

from django.utils.module_loading import import_string


class ExportContext:
    """What a document says about itself: its language, the programme, the filters and the totals.

    The totals (grants.reports.ReportTotals) and the programme (grants.models.Program, when one programme is selected
    or there is only one) are computed the first time a format reads them, from `grants` and `form`: CSV, IATI and
    360Giving never do, so their first byte does not wait for report_totals(). Either may also be given as it is.
    """

    def __init__(self, language, grants=None, form=None, *, totals=None, programme=None, filters=None, generated=None):
        self.language = language
        self._grants, self._form = grants, form
        self.filters = list(filters) if filters is not None else (form.applied() if form is not None else [])
        self.generated = generated or datetime.datetime.now(datetime.UTC)
        self.written = 0  # grants written so far, counted by the format as it writes them
        if totals is not None:
            self.__dict__["totals"] = totals
        if programme is not None or grants is None:
            self.__dict__["programme"] = programme

    def counted(self, rows):
        """The rows, each counted in `written` as it is handed on."""
        for row in rows:
            self.written += 1
            yield row

    @functools.cached_property
    def totals(self):
        from ..reports import report_totals

        return report_totals(self._grants)

    @functools.cached_property
    def programme(self):
        from ..models import Program

        selected = self._form.cleaned_data.get("program") if self._form is not None else None
        return selected or Program.objects.filter(grants__in=self._grants).distinct().current()


def export_context(grants, form, language):
    """The context of a download: totals of these grants, the filters of this form, the programme they belong to."""
    return ExportContext(language, grants, form)


@dataclass(frozen=True)
class Format:
    identifier: str
    filename: str
    content_type: str
    renderer: str  # dotted path of render(grants, context)
    module: str = ""  # dotted path of a module with unavailable(grants) and left_out(grants), if the format has them

    def render(self, grants, context):
        return import_string(self.renderer)(grants, context)

    def unavailable(self, grants):
        """Why there is no file of these grants in this format (a message in the active language), or None."""
        return import_string(f"{self.module}.unavailable")(grants) if self.module else None

    def left_out(self, grants):
        """[(reason, n, first references)]: the grants this format leaves out of the file and why."""
        return import_string(f"{self.module}.left_out")(grants) if self.module else []


FORMATS = {
    item.identifier: item
    for item in (
        Format("csv", "grants.csv", "text/csv; charset=utf-8", "grants.exporters.spreadsheets.render_csv"),
        Format(
            "xlsx",
            "grants.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "grants.exporters.spreadsheets.render_xlsx",
        ),
        Format("pdf", "summary.pdf", "application/pdf", "grants.exporters.pdf.render"),
        Format("iati", "iati.xml", "application/xml; charset=utf-8", "grants.exporters.iati.render"),
        Format(
            "360giving",
            "360giving.json",
            "application/json",
            "grants.exporters.giving360.render",
            module="grants.exporters.giving360",
        ),
    )
}
