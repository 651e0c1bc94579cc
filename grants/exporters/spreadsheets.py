"""CSV (the grants table, streamed) and XLSX (grants, totals by region and by theme, organisations; streamed)."""

from django.utils import translation

from .base import csv_stream, xlsx_stream
from .tables import grants_table, organizations_table, regions_table, themes_table


def render_csv(grants, context):
    with translation.override(context.language):
        yield from csv_stream(grants_table(grants))


def _workbook_tables(grants, context):
    """The sheets one by one: the totals are computed once the grants are written, so the first bytes go early."""
    yield grants_table(grants)
    yield regions_table(context.totals)
    yield themes_table(context.totals)
    yield organizations_table(grants)


def render_xlsx(grants, context):
    with translation.override(context.language):
        yield from xlsx_stream(_workbook_tables(grants, context))
