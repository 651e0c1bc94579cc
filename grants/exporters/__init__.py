"""The donor exports, found by identifier: `export_grants --format csv` and /<lang>/reports/grants.csv alike.

Each format is one module with `render(grants, context)` yielding the file's bytes; tabular formats share
base.py (CSV, XLSX), formats with their own structure (PDF, IATI XML, 360Giving JSON) have their own module.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.module_loading import import_string


@dataclass
class ExportContext:
    """What a document says about itself: its language, the programme, the filters and the totals."""

    language: str
    totals: object  # grants.reports.ReportTotals
    filters: list = field(default_factory=list)  # (label, value) pairs of the filters applied
    programme: object = None  # grants.models.Program, when one programme is selected or there is only one
    generated: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))


def export_context(grants, form, language):
    """The context of a download: totals of these grants, the filters of this form, the programme they belong to."""
    from ..models import Program
    from ..reports import report_totals

    programme = form.cleaned_data.get("program") or Program.objects.filter(grants__in=grants).distinct().first()
    return ExportContext(language=language, totals=report_totals(grants), filters=form.applied(), programme=programme)


@dataclass(frozen=True)
class Format:
    identifier: str
    filename: str
    content_type: str
    renderer: str  # dotted path of render(grants, context)

    def render(self, grants, context):
        return import_string(self.renderer)(grants, context)


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
        Format("360giving", "360giving.json", "application/json", "grants.exporters.giving360.render"),
    )
}
