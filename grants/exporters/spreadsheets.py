"""CSV (the grants table, streamed) and XLSX (grants, totals by region and by theme, organisations)."""

from django.utils import translation

from .base import csv_stream, xlsx_stream
from .tables import grants_table, organizations_table, regions_table, themes_table


def _counted_grants_table(grants, context):
    table = grants_table(grants)
    table.rows = context.counted(table.rows)
    return table


def render_csv(grants, context):
    with translation.override(context.language):
        yield from csv_stream(_counted_grants_table(grants, context))


def _workbook_tables(grants, context):
    """The sheets one by one: the totals are computed once the grants are written."""
    yield _counted_grants_table(grants, context)
    yield regions_table(context.totals)
    yield themes_table(context.totals)
    yield organizations_table(grants)


def render_xlsx(grants, context):
    with translation.override(context.language):
        yield from xlsx_stream(_workbook_tables(grants, context))
